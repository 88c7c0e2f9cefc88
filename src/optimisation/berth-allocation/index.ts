/** Berth allocation (DBAP): instance type and parser, independent plan checker, and the solver. */
export { FORBIDDEN_HANDLING, DbapParseError, parseDbap } from './instance.ts';
export type { Assignment, Berth, BerthInstance, ParseDbapOptions, Ship } from './instance.ts';
export { checkPlan } from './checker.ts';
export type { CheckResult, Violation } from './checker.ts';
export { solve } from './solve.ts';
export type { SolveOptions, SolveResult, SolveStatus } from './solve.ts';
