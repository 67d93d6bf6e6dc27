/**
 * Weight initializers with Keras 3's names, defaults and configs ({@code keras.initializers}): {@link
 * org.norm4j.initializers.Zeros}, {@link org.norm4j.initializers.Ones}, {@link org.norm4j.initializers.Constant},
 * {@link org.norm4j.initializers.RandomNormal}, {@link org.norm4j.initializers.RandomUniform}, {@link
 * org.norm4j.initializers.TruncatedNormal}, {@link org.norm4j.initializers.VarianceScaling} and its Glorot, He and
 * LeCun variants. {@link org.norm4j.initializers.Initializers} resolves Keras names and configs, and {@link
 * org.norm4j.initializers.Seeds} holds the global seed ({@code keras.utils.set_random_seed}).
 */
package org.norm4j.initializers;
