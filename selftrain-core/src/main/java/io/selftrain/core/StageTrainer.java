package io.selftrain.core;

import ai.djl.TrainingDivergedException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.selftrain.EpochReport;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.Student;
import io.selftrain.Target;
import io.selftrain.core.loss.LossNormalization;
import io.selftrain.core.loss.LossNormalizer;
import io.selftrain.internal.Scalars;
import io.selftrain.models.GradientGuard;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains one model for one stage: mixed human/pseudo batches (prepared one step ahead on a worker
 * thread), per-source losses combined by a {@link LossNormalizer}, AdamW with warm-up and cosine
 * decay. With {@link JointTraining}, each step also forwards a batch of auxiliary examples through
 * the shared backbone and adds its weighted cross-entropy (Zoph et al. 2020, Sec. 6). A NaN or
 * infinite loss, or non-finite parameters at the end of an epoch, stop the stage with the round,
 * stage, epoch and step in the message.
 */
final class StageTrainer {
  private final SelfTrainingListener listener;

  StageTrainer(SelfTrainingListener listener) {
    this.listener = listener;
  }

  /** One step's data: the task batch and, with joint training, the auxiliary batch. */
  private record Prepared(MixedBatches.Batch task, AuxiliaryBatches.Batch auxiliary) {}

  /** The weighted auxiliary loss of joint training: batches and weight. */
  record Auxiliary(AuxiliaryBatches batches, double weight) {}

  /** Called after each epoch but the last, with the optimizer steps taken so far. */
  interface EpochEnd {
    void after(int epoch, long steps) throws java.io.IOException;
  }

  <T extends Target> void train(
      TrainedModel<T> model,
      MixedBatches<T> batches,
      TrainingSchedule schedule,
      LossNormalization normalization,
      int round,
      Stage stage) {
    train(model, batches, null, null, schedule, normalization, round, stage);
  }

  /**
   * Trains the model for the stage's schedule.
   *
   * @param auxiliary joint training's auxiliary batches and weight, or null for the task alone
   * @param afterEpoch called after every epoch but the last (an evaluation), or null
   */
  <T extends Target> void train(
      TrainedModel<T> model,
      MixedBatches<T> batches,
      Auxiliary auxiliary,
      EpochEnd afterEpoch,
      TrainingSchedule schedule,
      LossNormalization normalization,
      int round,
      Stage stage) {
    int steps = batches.stepsPerEpoch();
    int total = steps * schedule.epochs();
    int warmup = schedule.warmupSteps(total);
    WarmupCosine learningRate = new WarmupCosine(schedule.learningRate(), warmup, total);
    Optimizer optimizer =
        Optimizer.adamW()
            .optLearningRateTracker(learningRate)
            .optWeightDecays(schedule.weightDecay())
            .build();
    // The configured loss is never called: the per-source losses below come from the student.
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(Loss.l2Loss())
            .optOptimizer(optimizer)
            .optDevices(new ai.djl.Device[] {model.model().getNDManager().getDevice()});
    LossNormalizer normalizer = LossNormalizer.of(normalization);
    int batchSize = batches.humanPerBatch() + batches.pseudoPerBatch();
    Shape inputShape = TrainedModel.inputShape(model.student(), batchSize);
    ExecutorService prefetch =
        Executors.newSingleThreadExecutor(
            new ThreadFactoryBuilder().setNameFormat("selftrain-batches").setDaemon(true).build());
    try (Trainer trainer = model.model().newTrainer(config)) {
      trainer.initialize(TrainedModel.inputShape(model.student(), 1));
      Future<Prepared> next = prefetch.submit(() -> prepare(batches, auxiliary, 0, 0, steps));
      for (int epoch = 0; epoch < schedule.epochs(); epoch++) {
        long start = System.nanoTime();
        double humanSum = 0;
        double pseudoSum = 0;
        double auxiliarySum = 0;
        for (int step = 0; step < steps; step++) {
          Prepared batch = await(next);
          int nextEpoch = step + 1 < steps ? epoch : epoch + 1;
          int nextStep = step + 1 < steps ? step + 1 : 0;
          if (nextEpoch < schedule.epochs()) {
            next = prefetch.submit(() -> prepare(batches, auxiliary, nextEpoch, nextStep, steps));
          }
          double[] losses =
              step(
                  model.student(),
                  trainer,
                  batch,
                  auxiliary,
                  inputShape,
                  normalizer,
                  round,
                  stage,
                  epoch,
                  step);
          humanSum += losses[0];
          pseudoSum += losses[1];
          auxiliarySum += losses[2];
        }
        checkParameters(model, round, stage, epoch);
        if (afterEpoch != null && epoch + 1 < schedule.epochs()) {
          try {
            afterEpoch.after(epoch + 1, (long) (epoch + 1) * steps);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        float lr = learningRate.getNewValue((epoch + 1) * steps - 1);
        listener.onEpoch(
            new EpochReport(
                round,
                stage,
                epoch + 1,
                schedule.epochs(),
                humanSum / steps,
                batches.pseudoPerBatch() == 0 ? Double.NaN : pseudoSum / steps,
                lr,
                (double) steps * batchSize / seconds,
                seconds,
                auxiliary == null ? Double.NaN : auxiliarySum / steps));
      }
    } finally {
      prefetch.shutdownNow();
    }
  }

  private static <T extends Target> Prepared prepare(
      MixedBatches<T> batches, Auxiliary auxiliary, int epoch, int step, int stepsPerEpoch) {
    return new Prepared(
        batches.batch(epoch, step),
        auxiliary == null ? null : auxiliary.batches().batch((long) epoch * stepsPerEpoch + step));
  }

  private static <T extends Target> double[] step(
      Student<T> student,
      Trainer trainer,
      Prepared prepared,
      Auxiliary auxiliary,
      Shape inputShape,
      LossNormalizer normalizer,
      int round,
      Stage stage,
      int epoch,
      int step) {
    MixedBatches.Batch batch = prepared.task();
    try (NDManager scope = trainer.getManager().newSubManager()) {
      NDArray x = scope.create(batch.inputs(), inputShape);
      NDArray q = batch.targets().toArray(scope);
      double humanLoss;
      double pseudoLoss = 0;
      double auxiliaryLoss = 0;
      try (GradientRecording collector = GradientRecording.start(trainer)) {
        NDArray auxiliaryTerm = null;
        NDList out;
        if (prepared.auxiliary() == null) {
          out = trainer.forward(new NDList(x));
        } else {
          AuxiliaryBatches.Batch aux = prepared.auxiliary();
          NDArray auxImages = scope.create(aux.inputs(), new Shape(auxiliary.batches().shape()));
          NDArray auxTargets =
              scope.create(aux.targets(), new Shape(aux.size(), auxiliary.batches().numClasses()));
          NDList joint = trainer.forward(new NDList(x, auxImages));
          NDArray logits = joint.get(joint.size() - 1);
          out = new NDList(joint.subList(0, joint.size() - 1));
          auxiliaryTerm = logits.logSoftmax(1).mul(auxTargets).sum(new int[] {1}).neg().mean();
          auxiliaryLoss = auxiliaryTerm.getFloat();
        }
        NDArray perExample = student.lossPerExample(batch.targets().lossInputs(out, scope), q);
        NDArray human = perExample.get("0:" + batch.human()).mean();
        humanLoss = human.getFloat();
        NDArray pseudo = null;
        if (batch.pseudo() > 0) {
          pseudo = perExample.get(batch.human() + ":").mean();
          pseudoLoss = pseudo.getFloat();
        }
        if (!Double.isFinite(humanLoss)
            || !Double.isFinite(pseudoLoss)
            || !Double.isFinite(auxiliaryLoss)) {
          throw new TrainingDivergedException(
              String.format(
                  "loss is not finite in round %d, %s, epoch %d, step %d (batch of %d human + %d pseudo"
                      + " examples): human %s, pseudo %s%s",
                  round,
                  stage,
                  epoch + 1,
                  step + 1,
                  batch.human(),
                  batch.pseudo(),
                  humanLoss,
                  pseudoLoss,
                  auxiliaryTerm == null ? "" : ", auxiliary " + auxiliaryLoss));
        }
        LossNormalizer.Weights w =
            normalizer.step(humanLoss, batch.human(), pseudoLoss, batch.pseudo());
        NDArray total = human.mul(Scalars.like(human, (float) w.human()));
        if (pseudo != null) {
          total = total.add(pseudo.mul(Scalars.like(pseudo, (float) w.pseudo())));
        }
        if (auxiliaryTerm != null) {
          total =
              total.add(auxiliaryTerm.mul(Scalars.like(auxiliaryTerm, (float) auxiliary.weight())));
        }
        collector.backward(total);
      }
      List<String> bad = GradientGuard.nonFiniteGradients(trainer.getModel().getBlock());
      if (!bad.isEmpty()) {
        throw new TrainingDivergedException(
            String.format(
                "gradients are not finite (finite loss) in round %d, %s, epoch %d, step %d: %s",
                round, stage, epoch + 1, step + 1, bad.subList(0, Math.min(5, bad.size()))));
      }
      trainer.step();
      return new double[] {humanLoss, pseudoLoss, auxiliaryLoss};
    }
  }

  private static void checkParameters(TrainedModel model, int round, Stage stage, int epoch) {
    for (Pair<String, Parameter> p : model.model().getBlock().getParameters()) {
      NDArray array = p.getValue().getArray();
      try (NDManager scope = array.getManager().newSubManager()) {
        scope.tempAttachAll(array);
        if (array.isInfinite().logicalOr(array.isNaN()).any().getBoolean()) {
          throw new TrainingDivergedException(
              String.format(
                  "parameter %s is not finite after round %d, %s, epoch %d (finite losses: the gradients diverged)",
                  p.getKey(), round, stage, epoch + 1));
        }
      }
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing a batch", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("preparing a batch failed: " + cause, cause);
    }
  }
}
