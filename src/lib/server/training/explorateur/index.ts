export { explorateurCourse, loadExplorateurCourse, CourseLoadError } from './content';
export * from './learner';
export * from './review';
export type { TrainingRefusal } from './types';
