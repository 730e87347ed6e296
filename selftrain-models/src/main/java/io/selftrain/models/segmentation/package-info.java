/**
 * Semantic segmentation on EfficientNet and NAS-FPN, the self-training paper's PASCAL VOC model
 * (Zoph et al. 2020, "Rethinking Pre-training and Self-training", arXiv 2006.06882): start at
 * {@link io.selftrain.models.segmentation.Segmentation} (block, segmentation student, teacher,
 * variants) and {@link io.selftrain.models.segmentation.SegmentationConfig}. The defaults follow
 * the TF detection code's segmentation model and the paper's released PASCAL configs.
 */
@io.selftrain.internal.ValueStyle
package io.selftrain.models.segmentation;
