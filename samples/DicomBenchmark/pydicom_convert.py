"""pydicom side of the FedNano DICOM benchmark.

usage: python3 pydicom_convert.py LISTFILE OUTDIR

Reads every file named in LISTFILE (one path a line) with dcmread (all values, pixel data included, are read
into memory: no defer_size) and writes it as Explicit VR Little Endian into OUTDIR under the same file name.
Only the loop is timed (interpreter start and `import pydicom` are not); prints "ELAPSED <seconds>".
"""
import os
import sys
import time

import pydicom
from pydicom.uid import ExplicitVRLittleEndian

PYDICOM_MAJOR = int(pydicom.__version__.split(".")[0])


def convert(src, dst):
    ds = pydicom.dcmread(src)
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    if PYDICOM_MAJOR >= 3:
        ds.save_as(dst, implicit_vr=False, little_endian=True, enforce_file_format=True)
    else:
        ds.is_implicit_VR = False
        ds.is_little_endian = True
        ds.save_as(dst, write_like_original=False)


def main():
    list_file, out_dir = sys.argv[1], sys.argv[2]
    with open(list_file, encoding="utf-8") as f:
        files = [line.strip() for line in f if line.strip()]
    start = time.perf_counter()
    for path in files:
        convert(path, os.path.join(out_dir, os.path.basename(path)))
    elapsed = time.perf_counter() - start
    print(f"ELAPSED {elapsed:.6f}")


if __name__ == "__main__":
    main()
