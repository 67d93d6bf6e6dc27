# Writes python-format.txt: "<float.hex()> <format> <format % value>", the oracle for FloatFormatTest.
import random
random.seed(5)
vals = [0.0, -0.0, 0.125, 0.375, 2.5, 1e-5, 123456789.0, 0.0001, 0.00001234, 1e16, -1.5, 1 / 3, 2 / 3, 99999.95,
        0.5, 1.0, 9.9999e-5, 123.456, 1e22, 5e-324]
for _ in range(300):
    vals.append(random.gauss(0, 1) * 10 ** random.randint(-8, 8))
fmts = ['%.6f', '%.2f', '%.0f', '%.3e', '%.0e', '%.6g', '%.1g', '%.3g', '%.17g', '%.15g']
for v in vals:
    for fm in fmts:
        print('%s %s %s' % (v.hex(), fm, fm % v))
