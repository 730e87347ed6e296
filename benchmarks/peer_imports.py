"""Imports shared by the peer scripts (torchvision_peer.py, model_peer.py)."""

import sys
import types


def import_torchvision():
    """torchvision, also where its wheel is a CUDA build on a CPU-only torch.

    Such a wheel's C extension cannot load (it links libc10_cuda), and torchvision's import then fails
    while registering fake kernels for detection ops (nms, roi_align) that the transforms never call.
    The registrations are skipped in that case; the transforms timed here are pure torch ops.
    """
    try:
        import torchvision
        return torchvision
    except RuntimeError as e:
        if "torchvision::" not in str(e):
            raise
        for name in [m for m in sys.modules if m == "torchvision" or m.startswith("torchvision.")]:
            del sys.modules[name]
        sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
        import torchvision
        print("note: torchvision's C extension did not load (CUDA build on CPU torch);"
              " its detection-op registrations were skipped")
        return torchvision
