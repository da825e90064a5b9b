/** One tokenized example: trained[i] says whether tokens[i] is a target the loss counts (it is predicted from
 * tokens[0..i-1]). Text documents train everywhere; conversations on assistant tokens only. */
export interface TokenizedExample {
  tokens: readonly number[];
  trained: readonly boolean[];
}
