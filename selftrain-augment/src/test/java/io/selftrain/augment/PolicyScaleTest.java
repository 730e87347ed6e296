package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * TF's pixel constants scale with the image: exact at the paper's sizes, proportionate on small
 * images.
 */
class PolicyScaleTest {
  @Test
  void paperSizes_keepTensorFlowsConstants() {
    assertThat(Augmenters.policy(AugmentPolicy.S2, Task.DETECTION, 640, 640).describe())
        .contains("translate=250.0px cutout=100.0px bbox-translate=120.0px bbox-cutout=50.0px");
    assertThat(Augmenters.policy(AugmentPolicy.S4, Task.CLASSIFICATION, 224, 224).describe())
        .contains("translate=100.0px cutout=40.0px");
    assertThat(Augmenters.policy(AugmentPolicy.S3, Task.SEGMENTATION, 512, 1024).describe())
        .contains("translate=250.0px");
  }

  @Test
  void smallerImages_getProportionateConstants() {
    assertThat(Augmenters.policy(AugmentPolicy.S4, Task.CLASSIFICATION, 28, 28).describe())
        .contains("translate=12.5px cutout=5.0px");
    assertThat(Augmenters.policy(AugmentPolicy.S2, Task.DETECTION, 320, 480).describe())
        .contains("translate=125.0px cutout=50.0px bbox-translate=60.0px bbox-cutout=25.0px");
  }

  @Test
  void scaledBy_rejectsNonPositiveFactors() {
    assertThatThrownBy(() -> OpConstants.detection().scaledBy(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("factor")
        .hasMessageContaining("0");
  }

  /** Outputs whose pixels are all equal: the content was translated (or cut) off the canvas. */
  private static double blankFraction(PolicyAugmenter<ClassTarget> augmenter) {
    byte[] pixels = new byte[28 * 28];
    for (int y = 6; y < 22; y++) {
      for (int x = 8; x < 20; x++) {
        pixels[y * 28 + x] = (byte) (120 + 5 * ((x + y) % 20));
      }
    }
    Example<ClassTarget> in =
        new Example<>(Image.of(28, 28, 1, pixels), ClassTarget.index(3, 10), Origin.HUMAN);
    int blank = 0;
    int draws = 400;
    for (int i = 0; i < draws; i++) {
      byte[] out = augmenter.augment(in, new SplittableRandom(i)).image().pixels();
      boolean constant = true;
      for (byte b : out) {
        constant &= b == out[0];
      }
      blank += constant ? 1 : 0;
    }
    return blank / (double) draws;
  }

  @Test
  void s4At28Pixels_keepsTheContentOnTheCanvas_unlikeTensorFlowsAbsoluteConstants() {
    double scaled = blankFraction(Augmenters.policy(AugmentPolicy.S4, Task.CLASSIFICATION, 28, 28));
    PolicyAugmenter<ClassTarget> absolute =
        Augmenters.compose(
            Augmenters.randAugment(RandAugmentConfig.builder().build()),
            Augmenters.scaleJitter(
                ScaleJitterConfig.builder()
                    .outputHeight(28)
                    .outputWidth(28)
                    .minScale(0.5)
                    .maxScale(2.0)
                    .build()));
    double unscaled = blankFraction(absolute);
    assertThat(scaled).isLessThan(0.03);
    assertThat(unscaled).isGreaterThan(0.1);
  }
}
