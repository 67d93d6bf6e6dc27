package org.norm4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.initializers.Seeds;
import org.norm4j.layers.Dense;
import org.norm4j.layers.Input;

/** Edge cases of predict/evaluate/build: batch sizes <= 0, empty batches, build() without arguments. */
class SequentialEdgeCasesTest {
    private static Sequential model() {
        Seeds.setGlobalSeed(7);
        Sequential m = new Sequential(new Input(4), new Dense(3, "relu"), new Dense(2, "softmax"));
        m.compile("adam", "categorical_crossentropy", "accuracy");
        return m;
    }

    private static Tensor x(int n) {
        float[] v = new float[n * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 7) - 3;
        }
        return Tensor.of(v, n, 4);
    }

    @Test
    void batchSizesBelowOneAreRejectedNamingTheArgument() {
        Sequential m = model();
        Tensor y = Tensor.of(new float[] {1, 0, 0, 1, 1, 0}, 3, 2);
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
            IllegalArgumentException p = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(IllegalArgumentException.class, () -> m.predict(x(3), bad)));
            assertTrue(p.getMessage().contains("batchSize = " + bad) && p.getMessage().contains(">= 1"),
                    p.getMessage());
            IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(IllegalArgumentException.class, () -> m.evaluate(x(3), y, bad)));
            assertTrue(e.getMessage().contains("batchSize = " + bad), e.getMessage());
        }
    }

    @Test
    void predictOnAnEmptyBatchGivesAnEmptyOutputOfTheOutputShape() {
        Sequential m = model();
        Tensor out = m.predict(Tensor.zeros(DType.FLOAT32, 0, 4));
        assertArrayEquals(new int[] {0, 2}, out.shape().dims());
        assertEquals(0, out.size());
        Tensor one = m.predict(x(1), 5);
        assertArrayEquals(new int[] {1, 2}, one.shape().dims());
    }

    @Test
    void evaluateOnAnEmptyBatchIsRejected() {
        Sequential m = model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.evaluate(Tensor.zeros(DType.FLOAT32, 0, 4), Tensor.zeros(DType.FLOAT32, 0, 2)));
        assertTrue(e.getMessage().contains("no samples"), e.getMessage());
    }

    @Test
    void buildWithoutArgumentsUsesTheInputLayerOrSaysWhatIsMissing() {
        Sequential withInput = model();
        withInput.build();
        assertArrayEquals(new int[] {2, 2}, withInput.predict(x(2)).shape().dims());
        Sequential bare = new Sequential(new Dense(3, "relu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bare::build);
        assertTrue(e.getMessage().contains("batchShape") && e.getMessage().contains("Input"), e.getMessage());
    }
}
