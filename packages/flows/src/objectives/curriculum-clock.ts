// Which curriculum level a training step belongs to. Steps [0, warmup) are the warm-up (identity
// pre-training, level −1); the remaining T' = steps − warmup steps are split over the R levels,
// evenly (level of step w + t is ⌊t·R/T'⌋) or by an explicit list n_0 + … + n_{R−1} = T'.
// With the plateau rule a level may end before its share: the generator's loss ℓ_t is smoothed by
// an exponential moving average m_t = m_{t−1} + (ℓ_t − m_{t−1})/W (window W, m = ℓ at the level's
// first step); every W steps of a level, from the 2W-th on, m is compared with its value W steps
// earlier, and the level ends when it fell by less than tol·|m_before| (a relative plateau). Steps
// a level does not use go to the last level (the data themselves, s = 0), so the total is unchanged.

/** The plateau rule's parameters. */
export interface PlateauRule {
  /** W: the moving average's window and the spacing of its comparisons, in steps. */
  window: number;
  /** tol: the least relative decrease of the moving average over W steps that keeps a level going. */
  tolerance: number;
}

/** Options of {@link CurriculumClock}. */
export interface CurriculumClockOptions {
  /** Total steps of the run. */
  steps: number;
  /** Steps before level 0 (identity pre-training); 0 for none. */
  warmup: number;
  /** Number of levels R. */
  levels: number;
  /** Steps of each level (length R, sum steps − warmup); absent: an even split. */
  stepsPerLevel?: readonly number[];
  /** Advance early when the generator's loss plateaus; absent: each level runs its share. */
  plateau?: PlateauRule;
  /** Names the option holder in errors (`curriculum`). */
  where: string;
}

interface PlateauState {
  level: number;
  levelStart: number;
  /** Observations at the current level, its moving average and the average W observations ago. */
  seen: number;
  average: number;
  reference: number | null;
  plateaued: boolean;
  starts: number[];
}

/** The level of each step of a curriculum run, with the plateau rule's state (saved in checkpoints). */
export class CurriculumClock {
  private readonly ends: number[];
  private state: PlateauState;

  constructor(private readonly o: CurriculumClockOptions) {
    const budget = o.steps - o.warmup;
    if (budget < o.levels) {
      throw new RangeError(`${o.where}: ${o.steps} steps${o.warmup > 0 ? ` minus ${o.warmup} identity steps` : ''} leave ${budget} for ${o.levels} levels; each level needs at least one step`);
    }
    if (o.stepsPerLevel !== undefined) {
      const list = o.stepsPerLevel;
      const sum = list.reduce((a, b) => a + b, 0);
      if (list.length !== o.levels || sum !== budget) {
        throw new RangeError(
          `${o.where}: "stepsPerLevel" [${list.join(', ')}] must have one entry per level (${o.levels}) summing to the steps left for the levels (${budget}${o.warmup > 0 ? ` = ${o.steps} − ${o.warmup} identity steps` : ''}); got ${list.length} entries summing to ${sum}`,
        );
      }
    }
    // ends[r]: the first step after level r's share (absolute step index).
    this.ends = [];
    let end = o.warmup;
    for (let r = 0; r < o.levels; r++) {
      end = o.stepsPerLevel !== undefined ? end + o.stepsPerLevel[r]! : o.warmup + Math.ceil(((r + 1) * budget) / o.levels);
      this.ends.push(r === o.levels - 1 ? o.steps : end);
    }
    this.state = this.initial();
  }

  private initial(): PlateauState {
    return { level: 0, levelStart: this.o.warmup, seen: 0, average: 0, reference: null, plateaued: false, starts: [this.o.warmup] };
  }

  /**
   * The level of step `step` (−1 during the warm-up). Without the plateau rule a pure function of
   * `step`; with it, call it once per step in increasing order (the run's `beforeStep`).
   */
  levelAt(step: number): number {
    if (step < this.o.warmup) return -1;
    if (this.o.plateau === undefined) {
      let r = 0;
      while (r < this.o.levels - 1 && step >= this.ends[r]!) r++;
      return r;
    }
    const st = this.state;
    // Moves on when the level's share is spent or its loss plateaued; never past the last level.
    while (st.level < this.o.levels - 1 && (step >= this.ends[st.level]! || st.plateaued)) {
      st.level++;
      st.levelStart = step;
      st.seen = 0;
      st.reference = null;
      st.plateaued = false;
      st.starts.push(step);
      // A share that ends before this step (the earlier levels ran long) is skipped too, unless it is the last.
    }
    return st.level;
  }

  /** Records the generator's loss at `step` (plateau rule only; ignored during the warm-up). */
  observe(step: number, loss: number): void {
    const rule = this.o.plateau;
    if (rule === undefined || step < this.o.warmup || !Number.isFinite(loss)) return;
    const st = this.state;
    st.seen++;
    st.average = st.seen === 1 ? loss : st.average + (loss - st.average) / rule.window;
    if (st.seen % rule.window !== 0) return;
    if (st.reference !== null && st.seen >= 2 * rule.window && st.reference - st.average < rule.tolerance * Math.abs(st.reference)) st.plateaued = true;
    st.reference = st.average;
  }

  /** The step at which each level began so far (all R of them without the plateau rule). */
  starts(): number[] {
    if (this.o.plateau !== undefined) return [...this.state.starts];
    return [this.o.warmup, ...this.ends.slice(0, -1)];
  }

  /** JSON state for checkpoints (the plateau rule's bookkeeping). */
  save(): Record<string, unknown> {
    return { ...this.state, starts: [...this.state.starts] };
  }

  /** Restores what {@link save} gave. */
  load(json: Record<string, unknown>): void {
    const s = json as unknown as PlateauState;
    if (typeof s.level !== 'number' || !Array.isArray(s.starts)) throw new RangeError(`${this.o.where}: checkpoint state of the level clock is malformed`);
    this.state = { ...s, starts: [...s.starts] };
  }
}
