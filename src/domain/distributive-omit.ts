/** `Omit` applied to each member of a union (plain `Omit` merges the union into one type first). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
