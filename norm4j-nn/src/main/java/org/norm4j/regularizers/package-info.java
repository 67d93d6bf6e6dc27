/**
 * Weight regularizers with Keras 3's names, defaults and configs ({@code keras.regularizers}): {@link
 * org.norm4j.regularizers.L1}, {@link org.norm4j.regularizers.L2} and {@link org.norm4j.regularizers.L1L2}.
 * A layer attaches one to a weight; {@link org.norm4j.layers.Layer#losses()} returns the penalties and
 * {@code Sequential.fit} adds them to the loss. {@link org.norm4j.regularizers.Regularizers} resolves Keras names
 * and serialized configs.
 */
package org.norm4j.regularizers;
