package io.selftrain.models;

import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.selftrain.ClassTarget;
import io.selftrain.Student;
import io.selftrain.models.internal.LayoutNames;

/**
 * Small convolutional students for 28x28 images; see {@link ConvNetConfig} for the layout.
 *
 * <pre>{@code
 * Student<ClassTarget> teacher = ConvNets.student(ConvNetConfig.builder().build());
 * Student<ClassTarget> student = ConvNets.student(
 *     ConvNetConfig.builder().dropout(0.5f).stochasticDepth(0.2f).build());
 * }</pre>
 */
public final class ConvNets {
  private ConvNets() {}

  /**
   * A classification student with this architecture and noise.
   *
   * @param config the architecture and noise
   * @return the student; each {@link Student#newBlock()} is a fresh, uninitialised network
   */
  public static Student<ClassTarget> student(ConvNetConfig config) {
    checkNotNull(config, "config");
    // The hidden width and the layout appear only when they are not the defaults, so older work
    // directories keep their names.
    String name =
        LayoutNames.of(
            String.format(
                "cnn%d-w%d%s-drop%.2f-sd%.2f",
                config.inputSize(),
                config.width(),
                config.hidden() == ConvNetConfig.DEFAULT_HIDDEN ? "" : "-h" + config.hidden(),
                config.dropout(),
                config.stochasticDepth()),
            config.channelsLast(),
            false);
    return new ClassificationStudent(
        name,
        new Shape(config.inputChannels(), config.inputSize(), config.inputSize()),
        config.numClasses(),
        () -> block(config));
  }

  /**
   * Trainable parameters of the network, from the layout alone (BatchNorm running statistics
   * excluded, its scale and shift included).
   *
   * @param config the architecture
   * @return the count
   */
  public static long parameterCount(ConvNetConfig config) {
    long w = config.width();
    long c = config.inputChannels();
    long side = config.inputSize() / 4;
    long stem = c * w * 9 + 2 * w;
    long second = w * 2 * w * 9 + 2 * 2 * w;
    long residual = 2 * (2 * w * 2 * w * 9 + 2 * 2 * w);
    long hidden = 2 * w * side * side * config.hidden() + config.hidden();
    long classifier = (long) config.hidden() * config.numClasses() + config.numClasses();
    return stem + second + residual + hidden + classifier;
  }

  /**
   * Multiply-adds of one forward pass: the four 3x3 convolutions ("same" padding) and the two
   * linear layers; batch norm, activations and pooling are not counted.
   *
   * @param config the architecture
   * @return the count for one image
   */
  public static long multiplyAdds(ConvNetConfig config) {
    long w = config.width();
    long size = config.inputSize();
    long half = size / 2;
    long quarter = size / 4;
    long stem = size * size * config.inputChannels() * w * 9;
    long second = half * half * w * 2 * w * 9;
    long residual = 2 * quarter * quarter * 2 * w * 2 * w * 9;
    long hidden = 2 * w * quarter * quarter * config.hidden();
    return stem + second + residual + hidden + (long) config.hidden() * config.numClasses();
  }

  static Block block(ConvNetConfig config) {
    int w = config.width();
    SequentialBlock net =
        config.channelsLast() ? new ChannelsLastSequentialBlock() : new SequentialBlock();
    net.add(convBnRelu(w)).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    net.add(convBnRelu(2 * w)).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    SequentialBlock branch =
        new SequentialBlock().add(convBnRelu(2 * w)).add(conv(2 * w)).add(bn());
    net.add(new DropPathResidual(branch, config.stochasticDepth()));
    net.add(Blocks.batchFlattenBlock());
    net.add(new Dropout(config.dropout()));
    net.add(Linear.builder().setUnits(config.hidden()).build()).add(Activation.reluBlock());
    net.add(new Dropout(config.dropout()));
    net.add(Linear.builder().setUnits(config.numClasses()).build());
    return net;
  }

  private static Block convBnRelu(int filters) {
    return new SequentialBlock().add(conv(filters)).add(bn()).add(Activation.reluBlock());
  }

  private static Block conv(int filters) {
    return Conv2d.builder()
        .setKernelShape(new Shape(3, 3))
        .optPadding(new Shape(1, 1))
        .setFilters(filters)
        .optBias(false)
        .build();
  }

  private static Block bn() {
    return BatchNorm.builder().build();
  }
}
