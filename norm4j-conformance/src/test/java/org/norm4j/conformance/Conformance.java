package org.norm4j.conformance;

import java.util.Map;
import java.util.TreeMap;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.conformance.Tf.Arr;

/**
 * Shared helpers for the differential tests: conversion between norm4j tensors and {@link Tf.Arr}, and a
 * per-op record of the worst error seen, printed at the end of each test class.
 *
 * <p>Error metric: {@code max |norm4j - tf| / max(max |tf|, floor)}, i.e. relative to the scale of the
 * output (not per element, which is meaningless near zero). NaN must appear at the same positions, and
 * infinities must match exactly.
 */
final class Conformance {
    private static final Map<String, double[]> WORST = new TreeMap<>();

    private Conformance() {
    }

    static Arr arr(Tensor t) {
        return new Arr(t.toDoubleArray(), t.shape().dims(), t.dtype() == DType.FLOAT64);
    }

    static Tensor tensor(Arr a) {
        // wrap with an explicit Shape: Tensor.of(data) with no dims means a vector, but a rank-0 Arr is a scalar
        org.norm4j.Shape s = org.norm4j.Shape.of(a.shape());
        return a.float64() ? Tensor.wrap(a.data().clone(), s) : Tensor.wrap(a.toFloats(), s);
    }

    /** Compares and records; throws AssertionError if the error exceeds {@code tol}. */
    static double assertConforms(String op, Arr expected, Tensor actual, double tol, double floor) {
        double[] e = expected.data();
        double[] a = actual.toDoubleArray();
        if (!java.util.Arrays.equals(expected.shape(), actual.shape().dims())) {
            throw new AssertionError(op + ": shape " + actual.shape() + ", TensorFlow gives "
                    + java.util.Arrays.toString(expected.shape()));
        }
        double scale = floor;
        for (double v : e) {
            if (Double.isFinite(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double err = 0;
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) || Double.isNaN(a[i])) {
                if (Double.isNaN(e[i]) != Double.isNaN(a[i])) {
                    throw new AssertionError(op + ": element " + i + " is " + a[i] + ", TensorFlow gives " + e[i]);
                }
                continue;
            }
            if (Double.isInfinite(e[i]) || Double.isInfinite(a[i])) {
                if (e[i] != a[i]) {
                    throw new AssertionError(op + ": element " + i + " is " + a[i] + ", TensorFlow gives " + e[i]);
                }
                continue;
            }
            err = Math.max(err, Math.abs(a[i] - e[i]) / scale);
        }
        record(op, err, tol);
        if (err > tol) {
            throw new AssertionError(op + ": error " + err + " relative to scale " + scale + " exceeds " + tol);
        }
        return err;
    }

    static synchronized void record(String op, double err, double tol) {
        double[] w = WORST.computeIfAbsent(op, k -> new double[] {0, 0, tol});
        w[0] = Math.max(w[0], err);
        w[1]++;
        w[2] = Math.max(w[2], tol);
    }

    /** Prints the worst error and case count per op recorded so far, and clears them. */
    static synchronized void report(String title) {
        StringBuilder sb = new StringBuilder("\n== conformance: " + title + " (TensorFlow " + Tf.version() + ")\n");
        sb.append(String.format("%-44s %8s %12s %10s%n", "op", "cases", "worst err", "tolerance"));
        for (Map.Entry<String, double[]> en : WORST.entrySet()) {
            double[] w = en.getValue();
            sb.append(String.format("%-44s %8d %12.3e %10.0e%n", en.getKey(), (long) w[1], w[0], w[2]));
        }
        System.out.print(sb);
        WORST.clear();
    }

    static int[] randomDims(java.util.Random rnd, int rank, int max) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = 1 + rnd.nextInt(max);
        }
        return d;
    }

    static int[] randomAxes(java.util.Random rnd, int rank) {
        java.util.List<Integer> list = new java.util.ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (rnd.nextBoolean()) {
                list.add(rnd.nextBoolean() ? i - rank : i);
            }
        }
        if (list.isEmpty()) {
            list.add(rnd.nextInt(rank));
        }
        java.util.Collections.shuffle(list, rnd);
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Random data of the given dtype: normal with a random scale, optionally offset 1e4 times the std. */
    static Tensor data(java.util.Random rnd, DType dt, boolean illConditioned, int... dims) {
        double std = Math.pow(10, rnd.nextInt(5) - 2);
        double mean = illConditioned ? 1e4 * std : std * rnd.nextGaussian();
        return Tensor.randomNormal(dt, mean, std, rnd.nextLong(), dims);
    }
}
