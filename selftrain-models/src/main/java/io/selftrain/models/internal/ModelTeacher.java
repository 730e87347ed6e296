package io.selftrain.models.internal;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.Student;
import io.selftrain.Target;
import io.selftrain.Teacher;
import java.util.List;

/**
 * A trained model as an un-noised teacher: inference-mode forward passes (no stochastic depth or
 * dropout, batch norm with running statistics) of the model's block, decoded by the student the
 * block was built from. Images must have the student's input shape and are fed as CHW floats in [0,
 * 1] ({@link Image#copyChwTo}). Owns the model: closing the teacher closes it. Not API: the models'
 * factories ({@code RetinaNet.teacher}, {@code Segmentation.teacher}) return it as a {@link
 * Teacher}.
 *
 * @param <T> the task's target type
 */
public final class ModelTeacher<T extends Target> implements Teacher<T> {
  private final String kind;
  private final Student<T> student;
  private final Model model;

  /**
   * @param kind the model family for {@link #describe()}, such as {@code "retinanet"}
   * @param student decodes the block's outputs and gives the input shape
   * @param model a model whose block is an initialized block of {@code student}'s architecture
   * @throws IllegalArgumentException if the model has no block
   */
  public ModelTeacher(String kind, Student<T> student, Model model) {
    this.kind = checkNotNull(kind, "kind");
    this.student = checkNotNull(student, "student");
    this.model = checkNotNull(model, "model");
    checkArgument(model.getBlock() != null, "model must have a block: %s", model.getName());
  }

  @Override
  public List<Prediction<T>> predict(List<Image> images) {
    checkArgument(!images.isEmpty(), "images must not be empty");
    Shape input = student.inputShape();
    int c = (int) input.get(0);
    int h = (int) input.get(1);
    int w = (int) input.get(2);
    int stride = c * h * w;
    float[] data = new float[images.size() * stride];
    for (int i = 0; i < images.size(); i++) {
      Image image = images.get(i);
      checkArgument(
          image.channels() == c && image.height() == h && image.width() == w,
          "images[%s] must be %sx%sx%s: %s",
          i,
          h,
          w,
          c,
          image);
      image.copyChwTo(data, i * stride);
    }
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDList out =
          model
              .getBlock()
              .forward(
                  new ParameterStore(scope, false),
                  new NDList(scope.create(data, new Shape(images.size()).addAll(input))),
                  false);
      return student.decode(out);
    }
  }

  @Override
  public String describe() {
    return kind
        + " "
        + student.name()
        + " (model "
        + model.getName()
        + ")@"
        + Integer.toHexString(System.identityHashCode(this));
  }

  @Override
  public void close() {
    model.close();
  }
}
