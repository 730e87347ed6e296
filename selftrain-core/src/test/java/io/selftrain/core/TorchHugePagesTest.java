package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TorchHugePagesTest {
  private static final String MADVISE = "always [madvise] never\n";
  private static final String MAPS_WITHOUT_TORCH =
      "7f0000000000-7f0000001000 r-xp 00000000 00:00 0 /usr/lib/x86_64-linux-gnu/libc.so.6\n";

  @Test
  void decide_linuxWithMadviseHugePagesAndNoLibtorchYet_requests() {
    assertThat(TorchHugePages.decide(null, null, "Linux", MADVISE, MAPS_WITHOUT_TORCH))
        .isEqualTo(TorchHugePages.REQUEST);
    assertThat(TorchHugePages.decide("true", null, "Linux", "[always] madvise never", null))
        .isEqualTo(TorchHugePages.REQUEST);
  }

  @Test
  void decide_propertyFalse_leavesLibtorchAlone() {
    assertThat(TorchHugePages.decide("false", null, "Linux", MADVISE, MAPS_WITHOUT_TORCH))
        .isEqualTo("no huge pages (-Dselftrain.torch.hugePages=false)");
  }

  @Test
  void decide_propertyNeitherTrueNorFalse_failsNamingItAndTheValue() {
    assertThatThrownBy(() -> TorchHugePages.decide("yes", null, "Linux", MADVISE, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("selftrain.torch.hugePages must be true or false: yes");
  }

  @Test
  void decide_variableSetByTheUser_keepsIt() {
    assertThat(TorchHugePages.decide(null, "0", "Linux", MADVISE, MAPS_WITHOUT_TORCH))
        .isEqualTo("huge pages as the environment says (THP_MEM_ALLOC_ENABLE=0)");
  }

  @Test
  void decide_hugePagesOffOrAbsent_saysSo() {
    assertThat(TorchHugePages.decide(null, null, "Linux", "always madvise [never]\n", null))
        .isEqualTo(
            "no huge pages (transparent huge pages are off on this system: always madvise [never])");
    assertThat(TorchHugePages.decide(null, null, "Linux", null, null))
        .isEqualTo(
            "no huge pages (transparent huge pages are off on this system:"
                + " /sys/kernel/mm/transparent_hugepage/enabled is missing)");
    assertThat(TorchHugePages.decide(null, null, "Mac OS X", MADVISE, null))
        .isEqualTo("no huge pages (not Linux)");
  }

  @Test
  void decide_libtorchAlreadyLoaded_isTooLateAndSaysWhatToDo() {
    String maps =
        MAPS_WITHOUT_TORCH
            + "7f1000000000-7f1000400000 r-xp 00000000 00:00 0 /root/.djl.ai/pytorch/2.7.1/libc10.so\n";
    assertThat(TorchHugePages.decide(null, null, "Linux", MADVISE, maps))
        .isEqualTo(
            "no huge pages (libtorch was loaded before selftrain's Engines:"
                + " set THP_MEM_ALLOC_ENABLE=1 in the environment)");
  }
}
