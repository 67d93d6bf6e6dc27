package org.norm4j.spark;

import org.apache.spark.sql.SparkSession;

/** The one local[2] SparkSession a test class shares (starting one takes 12-16 s). */
final class SparkSessions {
    private SparkSessions() {
    }

    static SparkSession start() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("norm4j-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }
}
