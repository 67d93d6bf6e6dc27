package org.norm4j.spark;

import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.norm4j.stats.ExactMoments;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.ZeroVariancePolicy;
import org.norm4j.stats.io.StatsFile;

/**
 * What the four norm4j scalers share: the column parameters ({@code inputCol}/{@code outputCol} for a vector
 * column, {@code inputCols}/{@code outputCols} for numeric columns, as MLlib's stages name them), the
 * {@code convention} ({@code "sklearn"} by default, {@code "keras"} or {@code "spark"}: how a constant feature
 * is scaled, see {@link ZeroVariancePolicy}) and the {@code nanPolicy} ({@code "ignore"}: scikit-learn's rule,
 * NaN and null skipped in fit and kept in transform; or {@code "propagate"}). A fit gives a
 * {@link Norm4jScalerModel} that holds a norm4j stats file.
 *
 * @param <S> the scaler's own type, returned by the setters
 */
public abstract class Norm4jEstimator<S extends Norm4jEstimator<S>> extends Estimator<Norm4jScalerModel>
        implements ScalerColumns, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final ColumnParams columns;
    private final Param<String> convention;
    private final Param<String> nanPolicy;

    protected Norm4jEstimator(String uid) {
        this.uid = uid;
        columns = new ColumnParams(this);
        convention = new Param<>(this, "convention", "how a constant feature is scaled and which defaults apply: "
                + "sklearn, keras or spark", ParamValidators.inArray(new String[] {"sklearn", "keras", "spark"}));
        nanPolicy = new Param<>(this, "nanPolicy", "NaN and null in fit: ignore (scikit-learn) or propagate",
                ParamValidators.inArray(new String[] {"ignore", "propagate"}));
        setDefault(convention, "sklearn");
        setDefault(nanPolicy, "ignore");
    }

    @Override
    public ColumnParams columnParams() {
        return columns;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** {@code "sklearn"} (default), {@code "keras"} or {@code "spark"}: see {@link ZeroVariancePolicy}. */
    public Param<String> convention() {
        return convention;
    }

    /** {@code "ignore"} (default, scikit-learn's rule) or {@code "propagate"}: see {@link NanPolicy}. */
    public Param<String> nanPolicy() {
        return nanPolicy;
    }

    public String getConvention() {
        return $(convention);
    }

    public String getNanPolicy() {
        return $(nanPolicy);
    }

    public S setInputCol(String value) {
        set(inputCol(), value);
        return self();
    }

    public S setInputCols(String[] value) {
        set(inputCols(), value);
        return self();
    }

    public S setOutputCol(String value) {
        set(outputCol(), value);
        return self();
    }

    public S setOutputCols(String[] value) {
        set(outputCols(), value);
        return self();
    }

    public S setConvention(String value) {
        set(convention, value);
        return self();
    }

    public S setNanPolicy(String value) {
        set(nanPolicy, value);
        return self();
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** The zero-variance policy of the convention. */
    protected ZeroVariancePolicy policy() {
        return ZeroVariancePolicy.parse(getConvention());
    }

    /** The method this scaler fits. */
    protected abstract ScalingMethod method();

    /** The stats file of a fit, from the features and their exact moments. */
    protected abstract StatsFile stats(SparkStats.Features features, ExactMoments moments, NanPolicy nan);

    @Override
    public Norm4jScalerModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        SparkStats.Features features = SparkStats.select(dataset, getInputCol(), getInputCols());
        NanPolicy nan = NanPolicy.parse(getNanPolicy());
        ExactMoments moments = SparkStats.moments(features, nan);
        StatsFile stats = stats(features, moments, nan);
        Norm4jScalerModel model = new Norm4jScalerModel(uid, stats);
        copyColumns(model);
        return model.setParent(this);
    }

    private void copyColumns(Norm4jScalerModel model) {
        if (getInputCol() != null) {
            model.setInputCol(getInputCol());
        }
        if (getInputCols() != null) {
            model.setInputCols(getInputCols());
        }
        if (getOutputCol() != null) {
            model.setOutputCol(getOutputCol());
        }
        if (getOutputCols() != null) {
            model.setOutputCols(getOutputCols());
        }
    }

    /** Builds the stats file of the fitted statistics with this scaler's method and options. */
    protected StatsFile statsFile(SparkStats.Features features, ExactMoments moments, NanPolicy nan,
            StatsFile.Options options, int ddof, StatsFile.Quantiles quantiles) {
        return new StatsFile(method(), options, ddof, policy(), SparkModels.input(features, moments.features()),
                SparkModels.columns(moments.features()), SparkModels.names(features, moments.features()),
                moments.toStreamingMoments(), quantiles, 0, List.of("spark:" + String.join(",",
                features.names())));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return SparkModels.outputSchema(schema, getInputCol(), getInputCols(), getOutputCol(), getOutputCols());
    }

    @Override
    @SuppressWarnings("unchecked")
    public S copy(ParamMap extra) {
        return (S) defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new SparkModels.ParamsWriter(this, null);
    }
}
