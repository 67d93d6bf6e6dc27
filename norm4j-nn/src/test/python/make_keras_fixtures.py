"""Builds the Keras 3 fixtures that norm4j's tests load, and answers norm4j's round-trip tests.

Run with a Python that has keras==3.15.1, jax, jaxlib and h5py (KERAS_BACKEND=jax is set here):

  python make_keras_fixtures.py fixtures OUT_DIR     # every layer model: .keras, .weights.h5, legacy .h5, x, y
  python make_keras_fixtures.py training OUT_DIR     # the seed's model: initial weights, 100 Adam steps, gradients
  python make_keras_fixtures.py predict MODEL X OUT  # loads MODEL with keras.saving.load_model, predicts X to OUT
  python make_keras_fixtures.py predict MODEL X OUT WEIGHTS  # the same after model.load_weights(WEIGHTS)
  python make_keras_fixtures.py roundtrip DIR FIXTURES  # for each DIR/NAME.keras written by norm4j: Keras's
      # predictions of DIR/NAME.x.npy to DIR/NAME.keras_y.npy, and, with DIR/NAME.weights.h5, those of
      # FIXTURES/NAME.keras after load_weights(DIR/NAME.weights.h5) to DIR/NAME.weights_y.npy

Each layer model is trained a few steps on random data (non-trivial moving statistics, adapted Normalization)
before it is saved; y holds Keras's inference-mode predictions on x.
"""
import os
import sys
import zlib

os.environ.setdefault("KERAS_BACKEND", "jax")
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers as L  # noqa: E402


def models():
    """name -> (input shape, list of layers after the Input, functional?)."""
    rng = np.random.default_rng(7)
    adapt5 = rng.normal(3.0, 2.0, size=(64, 5)).astype("float32")
    norm = L.Normalization(axis=-1)
    norm.adapt(adapt5)
    inv = L.Normalization(axis=-1, invert=True)
    inv.adapt(adapt5)
    scalar = L.Normalization(axis=None)
    scalar.adapt(adapt5)
    adapt34 = rng.normal(-1.0, 0.5, size=(64, 3, 4)).astype("float32")
    two_axes = L.Normalization(axis=[1, 2])
    two_axes.adapt(adapt34)
    K = keras

    return {
        "dense": ((5,), [L.Dense(4, activation="relu"), L.Dense(3, use_bias=False)]),
        "dropout": ((5,), [L.Dense(4), L.Dropout(0.5, seed=3), L.Dense(3)]),
        "activation": ((5,), [L.Dense(4), L.Activation("tanh"), L.Dense(3), L.Activation("softmax")]),
        "flatten": ((2, 3), [L.Flatten(), L.Dense(3)]),
        "reshape": ((6,), [L.Reshape((2, 3)), L.Flatten(), L.Dense(3)]),
        "rescaling": ((5,), [L.Rescaling(1.0 / 255, offset=-0.5), L.Dense(3)]),
        "normalization": ((5,), [norm, L.Dense(3)]),
        "normalization_fixed": ((5,), [L.Normalization(mean=[1.0, 2.0, 3.0, 4.0, 5.0],
                                                       variance=[1.0, 4.0, 0.25, 2.0, 9.0]), L.Dense(3)]),
        "normalization_invert": ((5,), [inv, L.Dense(3)]),
        "batch_normalization": ((5,), [L.BatchNormalization(momentum=0.9), L.Dense(3)]),
        "batch_normalization_axis1": ((3, 4), [L.BatchNormalization(axis=1, center=False, epsilon=1e-2),
                                               L.Flatten(), L.Dense(3)]),
        "layer_normalization": ((3, 4), [L.LayerNormalization(epsilon=1e-5), L.Flatten(), L.Dense(3)]),
        "layer_normalization_rms": ((3, 4), [L.LayerNormalization(rms_scaling=True), L.Flatten(), L.Dense(3)]),
        "group_normalization": ((3, 6), [L.GroupNormalization(groups=3), L.Flatten(), L.Dense(3)]),
        "rms_normalization": ((3, 4), [L.RMSNormalization(epsilon=1e-5), L.Flatten(), L.Dense(3)]),
        "unit_normalization": ((3, 4), [L.UnitNormalization(axis=[1, 2]), L.Flatten(), L.Dense(3)]),
        "functional": ((5,), [L.Dense(4, activation="relu"), L.BatchNormalization(), L.Dense(3)], True),
        "float64": ((5,), [L.Dense(4, dtype="float64"), L.BatchNormalization(dtype="float64"), L.Dense(3)]),
        # every key with a value other than its default
        "batch_normalization_options": ((6,), [L.BatchNormalization(
            momentum=0.8, epsilon=1e-2, beta_initializer=K.initializers.RandomNormal(0.0, 0.1, seed=4),
            gamma_initializer=K.initializers.Constant(1.5), moving_mean_initializer="zeros",
            moving_variance_initializer=K.initializers.Constant(2.0),
            beta_regularizer=K.regularizers.L2(0.01), gamma_regularizer=K.regularizers.L1L2(0.01, 0.02),
            beta_constraint=K.constraints.MaxNorm(2.0), gamma_constraint=K.constraints.NonNeg(), trainable=True),
            L.Dense(3, kernel_initializer=K.initializers.RandomUniform(-0.1, 0.1, seed=3), bias_initializer="ones")]),
        "layer_normalization_options": ((3, 4), [L.LayerNormalization(
            axis=[1, 2], epsilon=1e-4, center=False, gamma_regularizer=K.regularizers.L2(0.001),
            gamma_constraint=K.constraints.UnitNorm(axis=0)), L.Flatten(), L.Dense(3)]),
        "group_normalization_options": ((4, 6), [L.GroupNormalization(
            groups=2, epsilon=1e-5, scale=False, beta_initializer="ones",
            beta_constraint=K.constraints.MinMaxNorm(0.0, 1.0)), L.Flatten(), L.Dense(3)]),
        "rms_normalization_axes": ((3, 4), [L.RMSNormalization(axis=[1, 2], epsilon=1e-3), L.Flatten(),
                                            L.Dense(3)]),
        "normalization_axis_none": ((5,), [scalar, L.Dense(3)]),
        "normalization_axes": ((3, 4), [two_axes, L.Flatten(), L.Dense(3)]),
        "frozen": ((5,), [L.Dense(4, trainable=False), L.BatchNormalization(trainable=False), L.Dense(3)]),
        "conv2d": ((9, 8, 4), [L.Conv2D(4, 3, activation="relu"), L.MaxPooling2D(),
                               L.Conv2D(6, (2, 3), strides=(1, 2), padding="same", groups=2),
                               L.AveragePooling2D(2, padding="same"), L.ZeroPadding2D(((1, 0), (0, 2))),
                               L.GlobalAveragePooling2D(), L.Dense(3)]),
        "conv2d_options": ((10, 9, 3), [L.ZeroPadding2D(1), L.Conv2D(
            5, (3, 2), dilation_rate=(2, 1), use_bias=False,
            kernel_initializer=K.initializers.HeNormal(seed=5), kernel_regularizer=K.regularizers.L2(0.01),
            kernel_constraint=K.constraints.MaxNorm(3.0)), L.BatchNormalization(),
            L.MaxPooling2D(pool_size=(3, 2), strides=(2, 1), padding="same"),
            L.Conv2D(4, 2, bias_initializer="ones", bias_regularizer=K.regularizers.L1(0.01),
                     bias_constraint=K.constraints.NonNeg(), activation="tanh"),
            L.GlobalMaxPooling2D(keepdims=True), L.Flatten(), L.Dense(3)]),
        "conv2d_channels_first": ((3, 8, 7), [L.Conv2D(4, 3, data_format="channels_first", padding="same"),
                                              L.AveragePooling2D(2, data_format="channels_first"),
                                              L.GroupNormalization(groups=2, axis=1),
                                              L.GlobalMaxPooling2D(data_format="channels_first"), L.Dense(3)]),
    }


def build(shape, layers, functional=False):
    if functional:
        inp = keras.Input(shape)
        x = inp
        for layer in layers:
            x = layer(x)
        return keras.Model(inp, x)
    return keras.Sequential([keras.Input(shape)] + layers)


def fixtures(out):
    os.makedirs(out, exist_ok=True)
    keras.utils.set_random_seed(1)
    for name, spec in models().items():
        shape, layers = spec[0], spec[1]
        model = build(shape, layers, len(spec) > 2 and spec[2])
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        x = rng.normal(2.0, 3.0, size=(48,) + shape).astype("float32")
        t = rng.normal(size=(48, 3)).astype("float32")
        model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
        model.fit(x, t, batch_size=16, epochs=2, verbose=0)
        xs = x[:8]
        y = np.asarray(model(xs, training=False))
        base = os.path.join(out, name)
        model.save(base + ".keras")
        model.save_weights(base + ".weights.h5")
        model.save(base + ".h5")
        np.save(base + ".x.npy", xs)
        np.save(base + ".y.npy", y)
        print(name, y.dtype, y.shape)


def seed_data(steps, batch, features, classes):
    """The training batches, computed the same way in norm4j's test (exact in float32)."""
    i = np.arange(steps * batch)[:, None]
    j = np.arange(features)[None, :]
    x = (((i * 7919 + j * 104729) % 1000) / 1000.0 - 0.5).astype("float32")
    labels = (i[:, 0] * 31 + (i[:, 0] // 7)) % classes
    y = np.eye(classes, dtype="float32")[labels]
    return x, y


def training(out):
    import jax

    os.makedirs(out, exist_ok=True)
    keras.utils.set_random_seed(5)
    steps, batch, features, hidden, classes = 100, 32, 784, 128, 10
    model = keras.Sequential([keras.Input((features,)), L.BatchNormalization(), L.Dense(hidden, activation="relu"),
                              L.BatchNormalization(), L.Dense(classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(), loss="categorical_crossentropy")
    model.save_weights(os.path.join(out, "seed_initial.weights.h5"))
    x, y = seed_data(steps, batch, features, classes)

    tv = [v.value for v in model.trainable_variables]
    ntv = [v.value for v in model.non_trainable_variables]

    def loss_fn(tv, x, y):
        yp, _ = model.stateless_call(tv, ntv, x, training=True)
        return keras.ops.mean(keras.losses.categorical_crossentropy(y, yp))

    grads = jax.grad(loss_fn)(tv, x[:batch], y[:batch])
    np.savez(os.path.join(out, "seed_gradients.npz"),
             **{f"{i:02d}_" + v.path.replace("/", "_"): np.asarray(g)
                for i, (v, g) in enumerate(zip(model.trainable_variables, grads))})
    model.fit(x, y, batch_size=batch, epochs=1, shuffle=False, verbose=0)
    # an uncompiled copy, so that the file holds the layers' weights without Adam's moments
    trained = keras.Sequential([keras.Input((features,)), L.BatchNormalization(),
                                L.Dense(hidden, activation="relu"), L.BatchNormalization(),
                                L.Dense(classes, activation="softmax")])
    trained.set_weights(model.get_weights())
    trained.save_weights(os.path.join(out, "seed_trained.weights.h5"))
    print("trained", [v.path for v in model.weights])


def predict(model_file, x_file, out_file, weights_file=None):
    model = keras.saving.load_model(model_file)
    if weights_file:
        model.load_weights(weights_file)
    y = np.asarray(model(np.load(x_file), training=False))
    np.save(out_file, y)


def roundtrip(directory, fixture_dir):
    for f in sorted(os.listdir(directory)):
        if not f.endswith(".keras"):
            continue
        name = f[: -len(".keras")]
        base = os.path.join(directory, name)
        predict(base + ".keras", base + ".x.npy", base + ".keras_y.npy")
        if os.path.exists(base + ".weights.h5"):
            predict(os.path.join(fixture_dir, name + ".keras"), base + ".x.npy", base + ".weights_y.npy",
                    base + ".weights.h5")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "fixtures":
        fixtures(sys.argv[2])
    elif cmd == "training":
        training(sys.argv[2])
    elif cmd == "roundtrip":
        roundtrip(sys.argv[2], sys.argv[3])
    elif cmd == "predict":
        predict(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else None)
    else:
        raise SystemExit("usage: make_keras_fixtures.py fixtures|training OUT_DIR | predict MODEL X OUT [WEIGHTS]")
