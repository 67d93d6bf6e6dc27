# Writes python-repr.txt: "<float64 bits in hex> <repr(value)>", the oracle for NumbersTest.
# python3 python-repr.py > python-repr.txt   (CPython 3.x; the output is deterministic for seed 11)
import random, struct
random.seed(11)
vals = [0.1, 92433800.0, 2.0, 1e16, 1e15, 1e-5, 1e-4, 0.0001234, 2e23, 5e-324, 1.7976931348623157e308,
        -1.5e16, 123456789012345678.0, 1234567890123456.0, 12345678901234567.0, -0.001, 100.0, 1e22, 0.3,
        2.2250738585072014e-308, 9007199254740993.0, 1 / 3]
for _ in range(3000):
    v = struct.unpack('<d', struct.pack('<Q', random.getrandbits(64)))[0]
    if v == v and v not in (float('inf'), float('-inf')):
        vals.append(v)
for _ in range(2000):
    vals.append(random.uniform(-1e6, 1e6) * 10 ** random.randint(-20, 20))
    vals.append(round(random.uniform(-1000, 1000), random.randint(0, 6)))
for v in vals[:3000]:
    print('%016x %s' % (struct.unpack('<Q', struct.pack('<d', v))[0], repr(v)))
