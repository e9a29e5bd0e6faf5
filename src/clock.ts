/**
 * The time Laget lives by. In production it is the system clock. Locally a person can move it
 * forward ("klokke +8d" in the chat) to see reminders, agendas and minutes appear without
 * waiting for the calendar; tests give their own.
 */
export class Clock {
  private offsetMs = 0;

  constructor(private readonly base: () => Date = () => new Date()) {}

  readonly now = (): Date => new Date(this.base().getTime() + this.offsetMs);

  /** Moves the clock forward (or back, with a negative amount). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Sets the clock to an instant. */
  set(instant: Date): void {
    this.offsetMs = instant.getTime() - this.base().getTime();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
