package org.norm4j.spark;

import java.io.Serializable;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The column parameters every norm4j Spark stage has, with MLlib's names: {@code inputCol}/{@code outputCol}
 * (one vector column) or {@code inputCols}/{@code outputCols} (numeric columns). Spark finds them by reflection
 * over the public no-argument methods returning a {@link Param}, default methods included.
 */
public interface ScalerColumns extends Params {
    /** The four parameters, created once per stage with the stage as their parent. */
    final class ColumnParams implements Serializable {
        private static final long serialVersionUID = 1L;
        final Param<String> inputCol;
        final StringArrayParam inputCols;
        final Param<String> outputCol;
        final StringArrayParam outputCols;

        ColumnParams(Params owner) {
            inputCol = new Param<>(owner, "inputCol", "input column name (a vector column)");
            inputCols = new StringArrayParam(owner, "inputCols", "input column names (numeric columns)");
            outputCol = new Param<>(owner, "outputCol", "output column name (a vector column)");
            outputCols = new StringArrayParam(owner, "outputCols", "output column names, one per input column");
        }
    }

    /** The stage's column parameters. */
    ColumnParams columnParams();

    /** Input column name: a vector column (the other choice is {@link #inputCols}). */
    default Param<String> inputCol() {
        return columnParams().inputCol;
    }

    /** Input column names: numeric columns (the other choice is {@link #inputCol}). */
    default StringArrayParam inputCols() {
        return columnParams().inputCols;
    }

    /** Output column name, for {@link #inputCol}. */
    default Param<String> outputCol() {
        return columnParams().outputCol;
    }

    /** Output column names, one per {@link #inputCols} entry. */
    default StringArrayParam outputCols() {
        return columnParams().outputCols;
    }

    /** The input column, or null where not set. */
    default String getInputCol() {
        return isDefined(inputCol()) ? getOrDefault(inputCol()) : null;
    }

    /** The input columns, or null where not set. */
    default String[] getInputCols() {
        return isDefined(inputCols()) ? getOrDefault(inputCols()) : null;
    }

    /** The output column, or null where not set. */
    default String getOutputCol() {
        return isDefined(outputCol()) ? getOrDefault(outputCol()) : null;
    }

    /** The output columns, or null where not set. */
    default String[] getOutputCols() {
        return isDefined(outputCols()) ? getOrDefault(outputCols()) : null;
    }
}
