/** A decider: the rules of one stream as pure functions (no I/O, no clock, no randomness). */
export interface Decider<State, Command, Event> {
  initialState(): State;
  /** What happened, if the command is accepted; `[]` when it changes nothing; throws a named error when refused. */
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

/** An event as the domain sees it: a type and a payload checked against that type's schema. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

export function fold<State, Event>(decider: Decider<State, unknown, Event>, events: readonly Event[]): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
