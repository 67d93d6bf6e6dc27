package org.norm4j.spark;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.norm4j.stats.ExactMoments;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.io.StatsFile;

/**
 * Scales each feature by its quantile range, {@code (x - median) / (q(upper) - q(lower))}, with <b>exact</b>
 * quantiles (NumPy's linear interpolation, as scikit-learn's {@code RobustScaler}), where MLlib's
 * Greenwald-Khanna sketch gives an approximation that changes with the partitioning.
 *
 * <p>Parameters: {@code lower} (default 0.25), {@code upper} (0.75) as MLlib names them (fractions);
 * {@code withCentering} (default true; false under {@code convention=spark}, MLlib's default),
 * {@code withScaling} (true), {@code unitVariance} (false); {@code memoryBudget} (bytes, default 1 GiB): the exact
 * quantiles are found by collecting every non-missing value to the driver (8 bytes each) where they fit the
 * budget, and otherwise by an exact radix selection in 4 more passes over the data ({@link RadixQuantiles}); both
 * give the same bits, for any partitioning. There is no approximation.
 */
public final class RobustScaler extends Norm4jEstimator<RobustScaler> {
    private static final long serialVersionUID = 1L;

    private final DoubleParam lower;
    private final DoubleParam upper;
    private final BooleanParam withCentering;
    private final BooleanParam withScaling;
    private final BooleanParam unitVariance;
    private final LongParam memoryBudget;

    /** A scaler with a random uid (the public no-argument constructor Spark Connect ML needs). */
    public RobustScaler() {
        this(Identifiable.randomUID("norm4jRobustScaler"));
    }

    public RobustScaler(String uid) {
        super(uid);
        lower = new DoubleParam(this, "lower", "lower quantile of the range (default 0.25)",
                ParamValidators.inRange(0, 1));
        upper = new DoubleParam(this, "upper", "upper quantile of the range (default 0.75)",
                ParamValidators.inRange(0, 1));
        withCentering = new BooleanParam(this, "withCentering", "subtract the median (default: true; false for "
                + "spark)");
        withScaling = new BooleanParam(this, "withScaling", "divide by the quantile range (default true)");
        unitVariance = new BooleanParam(this, "unitVariance", "scale so a normal feature gets variance 1");
        memoryBudget = new LongParam(this, "memoryBudget", "bytes the driver may use to collect values for the "
                + "quantiles (above it: exact radix selection, 4 more passes)",
                ParamValidators.gt(0));
        setDefault(lower, 0.25);
        setDefault(upper, 0.75);
        setDefault(withScaling, true);
        setDefault(unitVariance, false);
        setDefault(memoryBudget, 1L << 30);
    }

    public DoubleParam lower() {
        return lower;
    }

    public DoubleParam upper() {
        return upper;
    }

    public BooleanParam withCentering() {
        return withCentering;
    }

    public BooleanParam withScaling() {
        return withScaling;
    }

    public BooleanParam unitVariance() {
        return unitVariance;
    }

    public LongParam memoryBudget() {
        return memoryBudget;
    }

    public double getLower() {
        return (Double) $(lower);
    }

    public double getUpper() {
        return (Double) $(upper);
    }

    /** Whether the median is subtracted: as set, else the convention's default. */
    public boolean getWithCentering() {
        return isSet(withCentering) ? (Boolean) $(withCentering) : !"spark".equals(getConvention());
    }

    public boolean getWithScaling() {
        return (Boolean) $(withScaling);
    }

    public boolean getUnitVariance() {
        return (Boolean) $(unitVariance);
    }

    public long getMemoryBudget() {
        return (Long) $(memoryBudget);
    }

    public RobustScaler setLower(double value) {
        set(lower, value);
        return this;
    }

    public RobustScaler setUpper(double value) {
        set(upper, value);
        return this;
    }

    public RobustScaler setWithCentering(boolean value) {
        set(withCentering, value);
        return this;
    }

    public RobustScaler setWithScaling(boolean value) {
        set(withScaling, value);
        return this;
    }

    public RobustScaler setUnitVariance(boolean value) {
        set(unitVariance, value);
        return this;
    }

    public RobustScaler setMemoryBudget(long value) {
        set(memoryBudget, value);
        return this;
    }

    @Override
    protected ScalingMethod method() {
        return ScalingMethod.ROBUST;
    }

    @Override
    protected StatsFile stats(SparkStats.Features features, ExactMoments moments, NanPolicy nan) {
        if (!(getLower() < getUpper())) {
            throw new IllegalArgumentException("lower = " + getLower() + ", upper = " + getUpper()
                    + ": expected lower < upper");
        }
        double[] range = {getLower() * 100, getUpper() * 100};
        StatsFile.Quantiles quantiles = SparkStats.quantiles(features, moments, nan, getMemoryBudget(), range[0],
                range[1]);
        StatsFile.Options d = StatsFile.Options.DEFAULTS;
        StatsFile.Options o = new StatsFile.Options(d.withMean(), d.withStd(), d.featureRange(), d.clip(),
                getWithCentering(), getWithScaling(), range, getUnitVariance(), d.norm());
        return statsFile(features, moments, nan, o, 0, quantiles);
    }

    public static MLReader<RobustScaler> read() {
        return new SparkModels.EstimatorReader<>(RobustScaler.class, RobustScaler::new);
    }

    public static RobustScaler load(String path) {
        return read().load(path);
    }
}
