// The rubrics of the judge metrics (Bedrock's LLM-as-a-judge names). A judge model reads the prompt, the
// reference when there is one, the answer and the rubric, and answers with a score from 1 to 5. The rubric text
// is stored with the job that used it.
export const judgeRubrics: Record<string, string> = {
  "Builtin.Correctness":
    "Is the answer correct? 5: fully correct and consistent with the reference; 3: partly correct; 1: wrong.",
  "Builtin.Completeness":
    "Does the answer address everything the prompt asks? 5: complete; 3: misses some parts; 1: misses the point.",
  "Builtin.Helpfulness":
    "Would the answer help the person who asked? 5: very helpful; 3: somewhat helpful; 1: not helpful.",
  "Builtin.Relevance": "Is the answer about what was asked? 5: entirely relevant; 3: partly; 1: unrelated.",
  "Builtin.Coherence":
    "Is the answer logical and well organised? 5: fully coherent; 3: some gaps; 1: incoherent.",
  "Builtin.FollowingInstructions":
    "Does the answer follow the instructions in the prompt (format, length, constraints)? 5: all; 3: some; 1: none.",
  "Builtin.ProfessionalStyleAndTone":
    "Is the style and tone appropriate for a professional setting? 5: fully; 3: acceptable; 1: inappropriate.",
};
