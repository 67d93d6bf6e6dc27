/**
 * Weight constraints with Keras 3's names, defaults and configs ({@code keras.constraints}): {@link
 * org.norm4j.constraints.NonNeg}, {@link org.norm4j.constraints.MaxNorm}, {@link org.norm4j.constraints.UnitNorm}
 * and {@link org.norm4j.constraints.MinMaxNorm}. A layer attaches one to a weight; {@code Sequential.fit}
 * projects the weight with it after every optimizer step ({@link org.norm4j.layers.Layer#applyConstraints()}), as
 * Keras's optimizers do. {@link org.norm4j.constraints.Constraints} resolves Keras names and serialized configs.
 */
package org.norm4j.constraints;
