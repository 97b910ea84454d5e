// The blocks an author writes in a runbook, plus the two the source transform inserts.
export { default as Callout } from './Callout.astro';
export { default as Capture } from './Capture.astro';
export { default as Check } from './Check.astro';
export { default as Explain } from './Explain.astro';
export { default as Manual } from './Manual.astro';
export { default as Param } from './Param.astro';
export { default as SecretKey } from './SecretKey.astro';
export { default as Step } from './Step.astro';
export { default as StepScript } from './StepScript.astro';
export { default as Var } from './Var.astro';
export { default as WaitForPods } from './WaitForPods.astro';
