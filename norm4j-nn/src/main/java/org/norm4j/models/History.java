package org.norm4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code fit} returns, like Keras's {@code History}: per-epoch values of every logged metric. */
public final class History {
    private final Map<String, List<Double>> history = new LinkedHashMap<>();
    private final List<Double> epochSeconds = new ArrayList<>();

    void append(Map<String, Double> logs, double seconds) {
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
        epochSeconds.add(seconds);
    }

    /** {@code history.history}: metric name to one value per epoch ({@code loss}, {@code accuracy}, {@code val_loss}, ...). */
    public Map<String, List<Double>> history() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        history.forEach((k, v) -> copy.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
        return copy;
    }

    /** The values of one metric per epoch (empty if never logged). */
    public List<Double> get(String metric) {
        return Collections.unmodifiableList(history.getOrDefault(metric, List.of()));
    }

    /** The last value of a metric, or NaN. */
    public double last(String metric) {
        List<Double> v = history.get(metric);
        return v == null || v.isEmpty() ? Double.NaN : v.get(v.size() - 1);
    }

    /** Wall-clock seconds per epoch. */
    public List<Double> epochSeconds() {
        return Collections.unmodifiableList(epochSeconds);
    }

    /** Number of epochs run. */
    public int epochs() {
        return epochSeconds.size();
    }

    @Override
    public String toString() {
        return "History" + history;
    }
}
