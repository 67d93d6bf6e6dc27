package org.norm4j.spark;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.norm4j.stats.ExactMoments;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.io.StatsFile;

/**
 * Rescales each feature to {@code [min, max]} (MLlib's parameter names; scikit-learn's {@code feature_range}),
 * with scikit-learn's arithmetic {@code x * scale + min_}. Parameters: {@code min} (default 0), {@code max}
 * (default 1), {@code clip} (default false). A constant feature maps to {@code min} (sklearn, keras) or to the
 * middle of the range (spark).
 */
public final class MinMaxScaler extends Norm4jEstimator<MinMaxScaler> {
    private static final long serialVersionUID = 1L;

    private final DoubleParam min;
    private final DoubleParam max;
    private final BooleanParam clip;

    /** A scaler with a random uid (the public no-argument constructor Spark Connect ML needs). */
    public MinMaxScaler() {
        this(Identifiable.randomUID("norm4jMinMaxScaler"));
    }

    public MinMaxScaler(String uid) {
        super(uid);
        min = new DoubleParam(this, "min", "lower bound of the output range (default 0)");
        max = new DoubleParam(this, "max", "upper bound of the output range (default 1)");
        clip = new BooleanParam(this, "clip", "clip transformed values to the range (default false)");
        setDefault(min, 0.0);
        setDefault(max, 1.0);
        setDefault(clip, false);
    }

    public DoubleParam min() {
        return min;
    }

    public DoubleParam max() {
        return max;
    }

    public BooleanParam clip() {
        return clip;
    }

    public double getMin() {
        return (Double) $(min);
    }

    public double getMax() {
        return (Double) $(max);
    }

    public boolean getClip() {
        return (Boolean) $(clip);
    }

    public MinMaxScaler setMin(double value) {
        set(min, value);
        return this;
    }

    public MinMaxScaler setMax(double value) {
        set(max, value);
        return this;
    }

    public MinMaxScaler setClip(boolean value) {
        set(clip, value);
        return this;
    }

    @Override
    protected ScalingMethod method() {
        return ScalingMethod.MINMAX;
    }

    @Override
    protected StatsFile stats(SparkStats.Features features, ExactMoments moments, NanPolicy nan) {
        if (!(getMin() < getMax())) {
            throw new IllegalArgumentException("min = " + getMin() + ", max = " + getMax()
                    + ": expected min < max");
        }
        StatsFile.Options d = StatsFile.Options.DEFAULTS;
        StatsFile.Options o = new StatsFile.Options(d.withMean(), d.withStd(), new double[] {getMin(), getMax()},
                getClip(), d.withCentering(), d.withScaling(), d.quantileRange(), d.unitVariance(), d.norm());
        return statsFile(features, moments, nan, o, 0, null);
    }

    public static MLReader<MinMaxScaler> read() {
        return new SparkModels.EstimatorReader<>(MinMaxScaler.class, MinMaxScaler::new);
    }

    public static MinMaxScaler load(String path) {
        return read().load(path);
    }
}
