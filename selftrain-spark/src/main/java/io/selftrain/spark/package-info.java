/**
 * Pseudo-labeling a self-training run's unlabeled pool on Apache Spark ({@link
 * io.selftrain.spark.SparkPoolLabeling}): the run trains its teacher on one machine, the executors
 * label the pool's shards, the run trains its student from them. Spark is a provided dependency;
 * the other selftrain modules never see it.
 */
package io.selftrain.spark;
