package io.selftrain.core;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.selftrain.augment.TorchMemory;
import io.selftrain.models.EfficientNet;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@link TorchMemoryCacheTest}'s child JVM: loads PyTorch through {@link Engines}, trains a tiny
 * EfficientNet (dropout and stochastic depth on) for a few Adam steps from a fixed seed, and prints
 * {@code status <allocationStatus>}, {@code hits <true|false>} (whether the cache served any
 * allocation) and {@code parameters <SHA-256 of the parameter file>}.
 */
final class TorchMemoryCacheChild {
  private TorchMemoryCacheChild() {}

  public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
    Engine engine = Engines.load(Engines.PYTORCH);
    System.out.println("status " + Engines.allocationStatus());
    engine.setRandomSeed(3);
    try (Model model = Model.newInstance("tiny", Engines.PYTORCH)) {
      model.setBlock(EfficientNet.classifier(EfficientNet.tiny28()));
      try (Trainer trainer =
          model.newTrainer(
              new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                  .optOptimizer(
                      Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()))) {
        Shape input = new Shape(32, 3, 28, 28);
        trainer.initialize(input);
        NDManager manager = trainer.getManager();
        NDArray images = manager.randomUniform(0, 1, input);
        NDArray labels = manager.randomInteger(0, 10, new Shape(32), DataType.INT32);
        for (int step = 0; step < 6; step++) {
          try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(images, labels);
            try (GradientCollector collector = trainer.newGradientCollector()) {
              NDArray loss =
                  trainer
                      .getLoss()
                      .evaluate(new NDList(labels), trainer.forward(new NDList(images)));
              collector.backward(loss);
            }
            trainer.step();
          }
        }
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        model.getBlock().saveParameters(out);
      }
      System.out.println("hits " + (TorchMemory.counters()[0] > 0));
      System.out.println(
          "parameters "
              + HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray())));
    }
  }
}
