"""skimage side of FedNano's ReconBenchmark (written to a temporary directory and run by the benchmark).

usage: skimage_bench.py iradon|radon SIZE ANGLES DETECTORS REPS

  iradon: filtered backprojection (ramp filter, linear interpolation) of a parallel-beam sinogram of
          DETECTORS bins x ANGLES angles over 360 degrees into a SIZE x SIZE image.
  radon:  forward projection of a SIZE x SIZE image at ANGLES angles over 360 degrees (circle=False, so
          ceil(sqrt(2)*SIZE) bins: the whole image is projected, as FedNano's projector does).

The input is skimage's own Shepp-Logan phantom resized to SIZE x SIZE; the iradon input is its radon
transform, zero-padded to DETECTORS bins. Making the data and importing skimage are not timed. One untimed
warm-up call, then REPS timed calls (perf_counter for wall time, process_time for CPU time).
Prints "RESULT key value" lines for the benchmark to parse.
"""
import resource
import sys
import time

import numpy as np
import skimage
from skimage.data import shepp_logan_phantom
from skimage.transform import iradon, radon, resize


def timed(call, reps):
    call()  # warm-up: first-call costs (lazy imports, FFT plans) are not what a user pays per slice
    walls, cpus = [], []
    result = None
    for _ in range(reps):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        result = call()
        walls.append(time.perf_counter() - wall0)
        cpus.append(time.process_time() - cpu0)
    return result, walls, cpus


def csv(values):
    return ",".join(f"{v:.6f}" for v in values)


def main(argv):
    if len(argv) != 6 or argv[1] not in ("iradon", "radon"):
        print(__doc__, file=sys.stderr)
        return 2
    mode = argv[1]
    size, angles, detectors, reps = (int(a) for a in argv[2:6])
    image = resize(shepp_logan_phantom(), (size, size), order=1, anti_aliasing=False)
    theta = np.linspace(0.0, 360.0, angles, endpoint=False)
    print(f"RESULT version {skimage.__version__} (numpy {np.__version__}, Python {sys.version.split()[0]})")

    if mode == "radon":
        sinogram, walls, cpus = timed(lambda: radon(image, theta=theta, circle=False), reps)
        # Every angle's bins must add up to the image's total (mass is conserved by a projection).
        mass_error = float(np.max(np.abs(sinogram.sum(axis=0) - image.sum())) / image.sum())
        print(f"RESULT shape {sinogram.shape[0]} bins x {sinogram.shape[1]} angles")
        print(f"RESULT check max relative deviation of a view's sum from the image sum {mass_error:.2e}")
        print(f"RESULT ok {int(mass_error < 0.01)}")
    else:
        sinogram = radon(image, theta=theta, circle=False)
        if sinogram.shape[0] > detectors:
            print(f"radon gave {sinogram.shape[0]} bins, more than the {detectors} asked for", file=sys.stderr)
            return 2
        # Centre bin of skimage's sinograms is n // 2: keep it on the same ray after padding.
        before = detectors // 2 - sinogram.shape[0] // 2
        sinogram = np.pad(sinogram, ((before, detectors - sinogram.shape[0] - before), (0, 0)))
        recon, walls, cpus = timed(
            lambda: iradon(sinogram, theta=theta, output_size=size, filter_name="ramp",
                           interpolation="linear", circle=False), reps)
        # Central 10 % disc: the reconstruction must match the phantom there.
        yy, xx = np.mgrid[0:size, 0:size]
        disc = (xx - (size - 1) / 2) ** 2 + (yy - (size - 1) / 2) ** 2 <= (0.05 * size) ** 2
        got, want = float(recon[disc].mean()), float(image[disc].mean())
        print(f"RESULT shape {sinogram.shape[0]} bins x {sinogram.shape[1]} angles -> {recon.shape[0]}x{recon.shape[1]}")
        print(f"RESULT check central ROI mean {got:.4f} vs phantom {want:.4f}")
        print(f"RESULT ok {int(abs(got - want) <= 0.02 * max(abs(want), 1e-6) + 0.002)}")

    print(f"RESULT seconds {csv(walls)}")
    print(f"RESULT cpu {csv(cpus)}")
    # ru_maxrss is in KiB on Linux; it covers the whole process (interpreter, data, warm-up included).
    print(f"RESULT peak_rss_kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
