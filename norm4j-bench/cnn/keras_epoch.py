"""One training epoch of the demo CNN in Keras 3 (TensorFlow backend by default), timed; the model of
org.norm4j.bench.CnnEpoch.

    KERAS_BACKEND=tensorflow python keras_epoch.py none|batchnorm [IMAGES] [THREADS] [DATA_DIR]

Rescaling(1/255) -> Conv2D(32, 3) -> [BatchNormalization] -> relu -> MaxPooling2D -> Conv2D(64, 3) ->
[BatchNormalization] -> relu -> MaxPooling2D -> Flatten -> Dense(10, softmax), Adam (lr 1e-3), categorical
cross-entropy with the accuracy metric, batch 32, shuffled, NHWC. TensorFlow's intra-op and inter-op thread pools
are set to THREADS (the first epoch includes tracing the train step, as norm4j's first epoch includes the JIT's
warm-up). Prints one line like CnnEpoch's.
"""
import os
import platform
import time

from idx import cpu_model, load_train, parse_args

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main():
    variant, images, threads, data = parse_args("keras_epoch.py")
    backend = os.environ["KERAS_BACKEND"]
    if backend == "tensorflow":
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    import keras
    import numpy as np

    keras.utils.set_random_seed(42)
    x, y = load_train(data, images)
    x = x.astype(np.float32).reshape(-1, 28, 28, 1)
    y = keras.utils.to_categorical(y, 10)
    layers = [keras.Input((28, 28, 1)), keras.layers.Rescaling(1.0 / 255)]
    for filters in (32, 64):
        if variant == "batchnorm":
            layers += [keras.layers.Conv2D(filters, 3), keras.layers.BatchNormalization(),
                       keras.layers.Activation("relu")]
        else:
            layers.append(keras.layers.Conv2D(filters, 3, activation="relu"))
        layers.append(keras.layers.MaxPooling2D())
    layers += [keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")]
    m = keras.Sequential(layers)
    m.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy", metrics=["accuracy"])
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    h = m.fit(x, y, batch_size=32, epochs=1, shuffle=True, verbose=0)
    t1 = time.perf_counter()
    cpu1 = time.process_time()
    print(f"keras-{backend} variant={variant} images={images} threads={threads} epoch_s={t1 - t0:.2f} "
          f"cpu_s={cpu1 - cpu0:.2f} loss={h.history['loss'][-1]:.4f} keras={keras.__version__} "
          f"python={platform.python_version()} cpu={cpu_model()}")


if __name__ == "__main__":
    main()
