package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.selftrain.BoxesTarget;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.Teacher;
import java.util.List;

/**
 * A trained RetinaNet as an un-noised teacher: inference-mode forward passes (no stochastic depth, batch
 * norm with running statistics) of the model's block, decoded by {@link RetinaNetDecoder}. Images are fed
 * as CHW floats in [0, 1] ({@link Image#copyChwTo}). Owns the model: closing the teacher closes it.
 */
final class RetinaNetTeacher implements Teacher<BoxesTarget> {
  private final RetinaNetStudent student;
  private final Model model;

  RetinaNetTeacher(RetinaNetStudent student, Model model) {
    this.student = student;
    this.model = model;
  }

  @Override
  public List<Prediction<BoxesTarget>> predict(List<Image> images) {
    checkArgument(!images.isEmpty(), "images must not be empty");
    Shape input = student.inputShape();
    int c = (int) input.get(0);
    int size = (int) input.get(1);
    int stride = c * size * size;
    float[] data = new float[images.size() * stride];
    for (int i = 0; i < images.size(); i++) {
      Image image = images.get(i);
      checkArgument(
          image.channels() == c && image.height() == size && image.width() == size,
          "images[%s] must be %sx%sx%s: %s",
          i,
          size,
          size,
          c,
          image);
      image.copyChwTo(data, i * stride);
    }
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDList out =
          model.getBlock()
              .forward(
                  new ParameterStore(scope, false),
                  new NDList(scope.create(data, new Shape(images.size()).addAll(input))),
                  false);
      return student.decode(out);
    }
  }

  @Override
  public String describe() {
    return "retinanet " + student.name() + " (model " + model.getName() + ")@" + Integer.toHexString(System.identityHashCode(this));
  }

  @Override
  public void close() {
    model.close();
  }
}
