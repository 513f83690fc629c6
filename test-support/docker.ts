import { getContainerRuntimeClient } from 'testcontainers';

let answer: Promise<boolean> | undefined;

/** Whether a container runtime answers, asked once per process. */
export function dockerAnswers(): Promise<boolean> {
  answer ??= getContainerRuntimeClient().then(
    () => true,
    () => false,
  );
  return answer;
}
