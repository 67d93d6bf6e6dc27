# Writes the .npy/.npz fixtures of NpyDtypesTest (numpy 2.x): python3 make.py (in this directory)
import numpy as np

a = np.arange(12, dtype=np.float64).reshape(3, 4) * 1.5 - 2
np.save("fortran-f8.npy", np.asfortranarray(a))
np.save("fortran-f4.npy", np.asfortranarray(a.astype(np.float32)))
np.save("i4.npy", np.array([[1, -2], [3, 4]], dtype="<i4"))
np.save("u1.npy", np.array([[255], [1]], dtype="u1"))
np.save("b1.npy", np.array([True, False, True]))
np.save("i8-big-endian.npy", np.array([[-5], [7]], dtype=">i8"))
np.save("u8.npy", np.array([[2**64 - 1], [1]], dtype="<u8"))
np.savez("two.npz", features=a, labels=np.array([0, 1, 1]))
np.savez_compressed("compressed.npz", a.T.copy())
