/** French messages of the training domain (source; keys prefixed "training."). */
export const frTraining = {} as const;
