/**
 * Teachers that were trained elsewhere: TensorFlow SavedModels run through DJL's TensorFlow engine
 * (which cannot train, so it serves teachers while students train on PyTorch), and the initial
 * parameters of students and teachers (random, a DJL checkpoint, or a previous run's student; Zoph
 * et al. 2020, Sec. 3.1 and Table 2 compare random and pre-trained initialisation).
 */
@io.selftrain.internal.ValueStyle
package io.selftrain.core.teacher;
