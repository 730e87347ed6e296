/**
 * RetinaNet (Lin et al. 2017, "Focal Loss for Dense Object Detection", arXiv 1708.02002) on
 * EfficientNet: start at {@link io.selftrain.models.detection.RetinaNet} (block, detection student,
 * teacher, variants) and {@link io.selftrain.models.detection.RetinaNetConfig}. The tensor math it
 * is built from is public too: anchors, the box coder, the focal and Huber losses, and non-maximum
 * suppression. The defaults follow the TensorFlow detection code the paper (Zoph et al. 2020) was
 * built on.
 */
@io.selftrain.internal.ValueStyle
package io.selftrain.models.detection;
