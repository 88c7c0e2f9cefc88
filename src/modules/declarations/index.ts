// The declarations module's public face (C4 declarations, C5 release): receipt-code machine, risk channel, release into the port chain.
export { DECLARATION_RULES_POLICY, declarationRulesProblems, type DeclarationRules } from './declaration-rules.ts';
export { act, amend, complete, declare, observeArrivals, type DeclarationRow } from './declarations.commands.ts';
export { DeclarationErrorCode } from './declarations.errors.ts';
export { ZDeclarationInput, type DeclarationInput } from './declarations.input.ts';
export { clearanceTimes } from './declarations.kpis.ts';
export { DECLARATION_COMMANDS, DECLARATION_STATUSES, STATUS_NAMES, type DeclarationStatus } from './declarations.machine.ts';
export { declarationRoutes } from './declarations.routes.ts';
export { declarationJobs, RELEASE_ON_ARRIVAL_JOB } from './declarations.jobs.ts';
