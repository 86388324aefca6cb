import { parseRecipe, type DecodedCheckpoint, type Recipe, type RecipeDataInfo, type Registry } from '@pfm/core';
import { CliError } from '../cli/cli-error.js';
import { checkTeacherOption, fromRecipeSource, requireMethod } from './check-recipe-before-data.js';
import { firstDifference, previewValue } from './first-difference.js';
import { hasRecipeInputs, recipeFromInputs, type RecipeInputs } from './recipe-inputs.js';

/** A checkpoint being resumed, with the file it was read from. */
export interface ResumedCheckpoint {
  path: string;
  decoded: DecodedCheckpoint;
}

/** What `resolveRecipe` reads: the recipe flags and --config, and the checkpoint of --resume. */
export interface RecipeSources {
  registry: Registry;
  inputs: RecipeInputs;
  /** The --config file (its name prefixes validation errors). */
  configPath: string | undefined;
  resume: ResumedCheckpoint | undefined;
  /** The training data's dimension and event shape: the objective's suggested defaults for them apply. */
  data?: RecipeDataInfo;
}

/** Validates a raw recipe; a config file's name prefixes the error so the user knows where to look. */
function validRecipe(raw: Record<string, unknown>, registry: Registry, source: string | undefined, data?: RecipeDataInfo): Recipe {
  return fromRecipeSource(source, () => parseRecipe(raw, registry, 'config', data));
}

/** The recipe to train: from the flags and --config, or from the checkpoint being resumed (flags must then agree with it). */
export function resolveRecipe({ registry, inputs, configPath, resume, data }: RecipeSources): Recipe {
  checkTeacherOption(registry, inputs, resume);
  if (!resume) {
    const raw = recipeFromInputs(inputs, inputs.config);
    requireMethod(raw);
    return validRecipe(raw, registry, configPath, data);
  }
  const saved = validRecipe(resume.decoded.recipe, registry, `${resume.path}: recipe`);
  const { checkpoint } = resume.decoded;
  if (checkpoint.steps !== saved.steps || checkpoint.seed !== saved.seed || checkpoint.batchSize !== saved.batchSize) {
    throw new CliError(
      `${resume.path}: the checkpoint (steps ${checkpoint.steps}, seed ${checkpoint.seed}, batch size ${checkpoint.batchSize}) does not match its recipe (steps ${saved.steps}, seed ${saved.seed}, batchSize ${saved.batchSize})`,
    );
  }
  if (hasRecipeInputs(inputs)) {
    const mine = validRecipe(recipeFromInputs(inputs, inputs.config ?? resume.decoded.recipe), registry, configPath, data);
    const d = firstDifference(mine, saved, 'config');
    if (d) {
      throw new CliError(
        `--resume ${resume.path}: this command asks for ${d.path} = ${previewValue(d.left)} but the checkpoint was made with ${previewValue(d.right)}; resume with the same recipe (or give no recipe flags to use the checkpoint's)`,
      );
    }
  }
  return saved;
}
