/**
 * Optimizers with Keras 3's update formulas, defaults and configs ({@code keras.optimizers}): {@link
 * org.norm4j.optimizers.SGD}, {@link org.norm4j.optimizers.Adam}, {@link org.norm4j.optimizers.AdamW} and {@link
 * org.norm4j.optimizers.RMSprop}, on the base {@link org.norm4j.optimizers.Optimizer} (gradient clipping,
 * decoupled weight decay, per-variable slots). {@link org.norm4j.optimizers.Optimizers} resolves Keras names and
 * configs. Updates run in place on the variables and are never recorded on gradient tapes.
 */
package org.norm4j.optimizers;
