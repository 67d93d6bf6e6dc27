/**
 * Loss functions with Keras 3's formulas, defaults and configs ({@code keras.losses}): {@link
 * org.norm4j.losses.CategoricalCrossentropy}, {@link org.norm4j.losses.SparseCategoricalCrossentropy}, {@link
 * org.norm4j.losses.BinaryCrossentropy} and {@link org.norm4j.losses.MeanSquaredError}, on the base {@link
 * org.norm4j.losses.Loss}. Every loss is built from recorded ops of {@code org.norm4j.ops}, so a {@link
 * org.norm4j.GradientTape} differentiates it. {@link org.norm4j.losses.Losses} resolves Keras names and configs.
 */
package org.norm4j.losses;
