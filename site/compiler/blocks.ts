import type { z } from 'zod';
import {
  CalloutPropsSchema,
  CapturePropsObject,
  CapturePropsSchema,
  CheckPropsObject,
  CheckPropsSchema,
  ExplainPropsSchema,
  ManualPropsSchema,
  ParamSpecSchema,
  SecretKeyPropsSchema,
  StepPropsObject,
  StepPropsSchema,
  WaitForPodsPropsSchema,
} from '../../protocol/index.ts';

interface BlockDefinition<Schema extends z.ZodType> {
  schema: Schema;
  props: readonly string[];
  /** Where the block may appear: at the top of the page, or inside a <Step>. */
  placement: 'page' | 'step';
}

function define<Schema extends z.ZodType>(
  schema: Schema,
  shape: Record<string, unknown>,
  placement: 'page' | 'step',
): BlockDefinition<Schema> {
  return { schema, props: Object.keys(shape), placement };
}

// The authoring blocks, by the name an author writes in MDX.
export const BLOCKS = {
  Step: define(StepPropsSchema, StepPropsObject.shape, 'page'),
  Param: define(ParamSpecSchema, ParamSpecSchema.shape, 'page'),
  Manual: define(ManualPropsSchema, ManualPropsSchema.shape, 'page'),
  Callout: define(CalloutPropsSchema, CalloutPropsSchema.shape, 'page'),
  Capture: define(CapturePropsSchema, CapturePropsObject.shape, 'step'),
  Check: define(CheckPropsSchema, CheckPropsObject.shape, 'step'),
  Explain: define(ExplainPropsSchema, ExplainPropsSchema.shape, 'step'),
  SecretKey: define(SecretKeyPropsSchema, SecretKeyPropsSchema.in.shape, 'step'),
  WaitForPods: define(WaitForPodsPropsSchema, WaitForPodsPropsSchema.in.shape, 'step'),
} as const;

export type BlockName = keyof typeof BLOCKS;
export const BLOCK_NAMES = Object.keys(BLOCKS) as BlockName[];

export function isBlockName(name: string): name is BlockName {
  return Object.hasOwn(BLOCKS, name);
}
