/**
 * COCO box evaluation: the twelve numbers of pycocotools' {@code COCOeval} for {@code
 * iouType='bbox'} with its default parameters, computed in Java and equal to pycocotools' own
 * output.
 *
 * <ul>
 *   <li>{@link io.selftrain.core.eval.CocoGroundTruth} holds the boxes of a COCO detection file
 *       (read without decoding any image) or of boxes built in memory ({@link
 *       io.selftrain.core.eval.CocoAnnotation}).
 *   <li>{@link io.selftrain.core.eval.CocoDetection} is one scored box; it reads and writes the
 *       COCO results format.
 *   <li>{@link io.selftrain.core.eval.CocoEvaluator} matches detections to the ground truth and
 *       returns {@link io.selftrain.core.eval.DetectionMetrics}: AP, AP50, AP75, AP and AR by
 *       object size, AR at 1, 10 and 100 detections.
 * </ul>
 *
 * <pre>{@code
 * CocoGroundTruth gt = CocoGroundTruth.load(Path.of("instances_val2017.json"));
 * List<CocoDetection> detections = CocoDetection.read(Path.of("detections.json"));
 * DetectionMetrics metrics = CocoEvaluator.evaluate(gt, detections);
 * System.out.println(metrics.ap() + " " + metrics.asMap());
 * }</pre>
 *
 * <p>Malformed files raise {@link io.selftrain.core.data.CorruptDataException} naming the file and
 * the entry; missing files raise {@link java.io.FileNotFoundException}.
 */
package io.selftrain.core.eval;
