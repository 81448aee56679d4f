using AmuroChar.Tasks;
using AmuroChar.Tasks.RealData;
using Xunit;

namespace AmuroChar.Tests.RealData;

/// <summary>One test per schema: records in the hub's schema, written as JSONL and as Parquet, load into the task's
/// fields, targets and choices.</summary>
public class SchemaMappingTests
{
    static Dataset Load(string schema, string format, params string[] lines)
    {
        using var files = new TestFiles();
        var dataset = RealDatasets.Load(schema, files.Write(schema, format, lines), "test");
        Assert.Equal(schema, dataset.Name);
        Assert.Equal("test", dataset.Split);
        Assert.Equal(RealDatasets.Schema(schema).Task, dataset.Task);
        Assert.EndsWith($"{schema}.{format}", dataset.Source);
        Assert.Equal($"{RealDatasets.Schema(schema).HfDataset} test", dataset.StandsFor);
        TestFiles.AssertRenders(dataset);
        return dataset;
    }

    [Fact]
    public void Every_schema_is_listed_once()
    {
        string[] expected = ["xsum", "cnn_dailymail", "xlsum", "social_i_qa", "sciq_qg", "tweet_qa", "mnli", "mnli_matched",
            "mnli_mismatched", "rte", "gpt3_nli", "paws", "qqp", "stsb", "arc_easy", "arc_challenge", "openbookqa", "sciq",
            "hellaswag", "boolq", "google_boolq", "tulu", "multi_nli", "super_glue_rte", "glue_qqp", "glue_stsb"];
        Assert.Equal(expected.Order(), RealDatasets.SchemaNames.Order());
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Xsum_document_to_summary(string format)
    {
        var d = Load("xsum", format,
            """{"document": "The council met on Monday.\nIt voted.", "summary": "A council voted.", "id": "35232142"}""",
            """{"document": "Rain fell.", "summary": "It rained.", "id": "40143035"}""",
            """{"document": "A third.", "summary": "Third.", "id": "1"}""");
        Assert.Equal(["35232142", "40143035", "1"], d.Examples.Select(e => e.Id));
        Assert.Equal("The council met on Monday.\nIt voted.", d.Examples[0]["document"]);
        Assert.Equal("A council voted.", d.Examples[0].Target);
        Assert.Equal(TaskKind.Generation, d.Task.Kind);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Cnn_dailymail_article_to_highlights(string format)
    {
        var d = Load("cnn_dailymail", format,
            """{"article": "LONDON (CNN) -- A story.", "highlights": "Point one .\nPoint two .", "id": "0001d1afc246a7964130f43ae940af6bc6c57f01"}""");
        Assert.Equal("0001d1afc246a7964130f43ae940af6bc6c57f01", d.Examples[0].Id);
        Assert.Equal("LONDON (CNN) -- A story.", d.Examples[0]["document"]);
        Assert.Equal("Point one .\nPoint two .", d.Examples[0].Target);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Xlsum_text_to_summary(string format)
    {
        var d = Load("xlsum", format,
            """{"id": "uk-123", "url": "https://www.bbc.com/news/uk-123", "title": "A title", "summary": "Short.", "text": "Long text."}""");
        Assert.Equal("uk-123", d.Examples[0].Id);
        Assert.Equal("Long text.", d.Examples[0]["document"]);
        Assert.Equal("Short.", d.Examples[0].Target);
        Assert.Single(d.Examples[0].Fields);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Social_i_qa_context_and_three_answers_to_question(string format)
    {
        var d = Load("social_i_qa", format,
            """{"context": "Tracy gave Bailey a ride.", "question": "Why did Tracy do this?", "answerA": "to be kind", "answerB": "to leave", "answerC": "to sleep", "label": "1"}""",
            """{"context": "Kai slept.", "question": "How would Kai feel?", "answerA": "rested", "answerB": "tired", "answerC": "hungry", "label": "1"}""");
        var e = d.Examples[0];
        Assert.Equal("0", e.Id); // SocialIQa has no id column: the record index
        Assert.Equal("1", d.Examples[1].Id);
        Assert.Equal("Tracy gave Bailey a ride.", e["context"]);
        Assert.Equal("Answer A: to be kind Answer B: to leave Answer C: to sleep", e["answers"]);
        Assert.Equal("to be kind to leave to sleep", e["answers_plain"]);
        Assert.Equal("Why did Tracy do this?", e.Target);
        Assert.Equal("### Input: Tracy gave Bailey a ride.\n ### Answer: Answer A: to be kind Answer B: to leave Answer C: to sleep\n ### Question:",
            d.Task.RenderPrompt(e, "default"));
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Sciq_as_question_generation_puts_the_correct_answer_first(string format)
    {
        var d = Load("sciq_qg", format,
            """{"question": "What gas do plants absorb?", "distractor3": "helium", "distractor1": "oxygen", "distractor2": "nitrogen", "correct_answer": "carbon dioxide", "support": "Plants absorb carbon dioxide."}""");
        var e = d.Examples[0];
        Assert.Equal("Plants absorb carbon dioxide.", e["context"]);
        Assert.Equal("Answer A: carbon dioxide Answer B: oxygen Answer C: nitrogen Answer D: helium", e["answers"]);
        Assert.Equal("carbon dioxide oxygen nitrogen helium", e["answers_plain"]);
        Assert.Equal("What gas do plants absorb?", e.Target);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Tweet_qa_uses_the_first_answer_as_a_bare_answer(string format)
    {
        var d = Load("tweet_qa", format,
            """{"Question": "who is happy?", "Answer": ["the fans", "fans"], "Tweet": "The fans are happy tonight!", "qid": "5f3b0a"}""");
        var e = d.Examples[0];
        Assert.Equal("5f3b0a", e.Id);
        Assert.Equal("The fans are happy tonight!", e["context"]);
        Assert.Equal("the fans", e["answers"]);
        Assert.Equal("the fans", e["answers_plain"]);
        Assert.Equal("who is happy?", e.Target);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Mnli_labels_0_1_2_are_entailment_neutral_contradiction(string format)
    {
        var d = Load("mnli", format,
            """{"premise": "A man sleeps.", "hypothesis": "A person rests.", "label": 0, "idx": 0}""",
            """{"premise": "A man sleeps.", "hypothesis": "He is tired.", "label": 1, "idx": 1}""",
            """{"premise": "A man sleeps.", "hypothesis": "He runs.", "label": 2, "idx": 2}""");
        Assert.Equal(["entailment", "neutral", "contradiction"], d.Examples.Select(e => e.Target));
        Assert.Equal(["0", "1", "2"], d.Examples.Select(e => e.Id));
        Assert.Equal("A man sleeps.", d.Examples[2]["premise"]);
        Assert.Equal("He runs.", d.Examples[2]["hypothesis"]);
    }

    [Theory, InlineData("mnli_matched"), InlineData("mnli_mismatched")]
    public void Mnli_validation_configurations_load_with_their_own_names(string schema)
    {
        var d = Load(schema, "parquet", """{"premise": "P.", "hypothesis": "H.", "label": 2, "idx": 9815}""");
        Assert.Equal("contradiction", d.Examples[0].Target);
        Assert.StartsWith($"nyu-mll/glue {schema}", d.StandsFor);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Rte_not_entailment_reads_as_neutral(string format)
    {
        var d = Load("rte", format,
            """{"sentence1": "Paris is in France.", "sentence2": "Paris is French.", "label": 0, "idx": 0}""",
            """{"sentence1": "Paris is in France.", "sentence2": "Paris is in Spain.", "label": 1, "idx": 1}""");
        Assert.Equal(["entailment", "neutral"], d.Examples.Select(e => e.Target));
        Assert.Equal("Paris is in Spain.", d.Examples[1]["hypothesis"]);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Gpt3_nli_reads_like_mnli(string format)
    {
        var d = Load("gpt3_nli", format, """{"text_a": "A dog barks.", "text_b": "A cat meows.", "label": 2, "guid": 17}""");
        Assert.Equal("17", d.Examples[0].Id);
        Assert.Equal("A dog barks.", d.Examples[0]["premise"]);
        Assert.Equal("contradiction", d.Examples[0].Target);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Paws_label_1_is_yes(string format)
    {
        var d = Load("paws", format,
            """{"id": 1, "sentence1": "A is B.", "sentence2": "B is A.", "label": 1}""",
            """{"id": 2, "sentence1": "A saw B.", "sentence2": "B saw A.", "label": 0}""");
        Assert.Equal(["yes", "no"], d.Examples.Select(e => e.Target));
        Assert.Equal("A is B.", d.Examples[0]["sentence1"]);
        Assert.Equal("B is A.", d.Examples[0]["sentence2"]);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Qqp_label_1_is_yes(string format)
    {
        var d = Load("qqp", format,
            """{"text1": "How do I learn C#?", "text2": "What is the best way to learn C#?", "label": 1, "idx": 0, "label_text": "duplicate"}""",
            """{"text1": "Why is the sky blue?", "text2": "Why is grass green?", "label": 0, "idx": 1, "label_text": "not_duplicate"}""");
        Assert.Equal(["yes", "no"], d.Examples.Select(e => e.Target));
        Assert.Equal("How do I learn C#?", d.Examples[0]["sentence1"]);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Stsb_is_yes_above_3_5_and_keeps_the_score(string format)
    {
        var d = Load("stsb", format,
            """{"text1": "A plane takes off.", "text2": "An air plane is taking off.", "label": 5.0, "idx": 0}""",
            """{"text1": "A man plays.", "text2": "A man sings.", "label": 1.2, "idx": 1}""");
        Assert.Equal(["yes", "no"], d.Examples.Select(e => e.Target));
        Assert.Equal("5", d.Examples[0]["score"]);
        Assert.Equal("1.2", d.Examples[1]["score"]);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Tulu_takes_the_first_user_message_and_the_reply_after_it(string format)
    {
        var d = Load("tulu", format,
            """{"dataset": "sharegpt", "id": "sharegpt_1", "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "More?"}, {"role": "assistant", "content": "No."}]}""",
            """{"dataset": "flan_v2", "id": "flan_v2_2", "messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]}""");
        Assert.Equal("sharegpt_1", d.Examples[0].Id);
        Assert.Equal("Hi?", d.Examples[0]["prompt"]);
        Assert.Equal("Hello.", d.Examples[0].Target);
        Assert.Equal("<|user|>\n2+2?\n<|assistant|>", d.Task.RenderPrompt(d.Examples[1], "default"));
    }

    [Theory, InlineData("arc_easy", "jsonl"), InlineData("arc_challenge", "parquet")]
    public void Arc_gold_is_the_answer_key_among_the_choice_labels(string schema, string format)
    {
        var d = Load(schema, format,
            """{"id": "Mercury_7175875", "question": "Which is a metal?", "choices": {"text": ["wood", "iron", "glass"], "label": ["A", "B", "C"]}, "answerKey": "B"}""",
            """{"id": "NYSEDREGENTS_2015_4_8", "question": "Which is a gas?", "choices": {"text": ["steam", "ice", "rock", "sand"], "label": ["1", "2", "3", "4"]}, "answerKey": "1"}""");
        var e = d.Examples[0];
        Assert.Equal(["wood", "iron", "glass"], e.Choices!);
        Assert.Equal(1, e.Gold);
        Assert.Equal("iron", e.Target);
        Assert.Equal("Question: Which is a metal?\nAnswer:", d.Task.RenderPrompt(e, "default"));
        Assert.Equal(0, d.Examples[1].Gold);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Openbookqa_strips_the_answer_key(string format)
    {
        var d = Load("openbookqa", format,
            """{"id": "7-980", "question_stem": "The sun is", "choices": {"text": ["cold", "a star", "a planet", "wet"], "label": ["A", "B", "C", "D"]}, "answerKey": " B"}""");
        Assert.Equal(1, d.Examples[0].Gold);
        Assert.Equal("a star", d.Examples[0].Target);
        Assert.Equal("The sun is", d.Task.RenderPrompt(d.Examples[0], "default"));
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Sciq_multiple_choice_follows_the_harness(string format)
    {
        var d = Load("sciq", format,
            """{"question": "What gas do plants absorb?", "distractor3": "helium", "distractor1": "oxygen", "distractor2": "nitrogen", "correct_answer": "carbon dioxide", "support": "  Plants absorb carbon dioxide."}""");
        var e = d.Examples[0];
        Assert.Equal(["oxygen", "nitrogen", "helium", "carbon dioxide"], e.Choices!);
        Assert.Equal(3, e.Gold);
        Assert.Equal("carbon dioxide", e.Target);
        Assert.Equal("Plants absorb carbon dioxide.\nQuestion: What gas do plants absorb?\nAnswer:", d.Task.RenderPrompt(e, "default"));
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Hellaswag_is_preprocessed_as_the_harness_does(string format)
    {
        var d = Load("hellaswag", format,
            """{"ind": 24, "activity_label": "Roof shingle removal", "ctx_a": "A man is sitting on a roof.", "ctx_b": "he", "ctx": "A man is sitting on a roof. he", "endings": ["is using wrap.", "starts pulling up roofing [substeps] on a roof.", "is ripping tiles.", "is holding a cube."], "source_id": "activitynet~v_-JhWjGDPHMY", "split": "val", "split_type": "indomain", "label": "1"}""",
            """{"ind": 92, "activity_label": "Home and Garden", "ctx_a": "[header] How to clean a grill [title] Heat it.", "ctx_b": "THEN scrub", "ctx": "", "endings": ["a", "b", "c", "d"], "source_id": "wikihow~1", "split": "val", "split_type": "zeroshot", "label": "0"}""");
        var e = d.Examples[0];
        Assert.Equal("24", e.Id);
        Assert.Equal("Roof shingle removal: A man is sitting on a roof. He", e["context"]);
        Assert.Equal("starts pulling up roofing on a roof.", e.Choices![1]);
        Assert.Equal(1, e.Gold);
        Assert.Equal(e.Choices[1], e.Target);
        // " [title]" becomes ". ", other brackets vanish, ctx_b is capitalized the Python way (the rest lower-cased).
        Assert.Equal("Home and Garden: How to clean a grill. Heat it. Then scrub", d.Examples[1]["context"]);
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Boolq_super_glue_label_indexes_no_yes(string format)
    {
        var d = Load("boolq", format,
            """{"question": "is the sky blue", "passage": "The sky is blue.", "idx": 0, "label": 1}""",
            """{"question": "is fire cold", "passage": "Fire is hot.", "idx": 1, "label": 0}""");
        Assert.Equal(["no", "yes"], d.Examples[0].Choices!);
        Assert.Equal([1, 0], d.Examples.Select(e => e.Gold));
        Assert.Equal(["yes", "no"], d.Examples.Select(e => e.Target));
        Assert.Equal("The sky is blue.\nQuestion: is the sky blue?\nAnswer:", d.Task.RenderPrompt(d.Examples[0], "default"));
    }

    [Theory, InlineData("jsonl"), InlineData("parquet")]
    public void Google_boolq_boolean_answer(string format)
    {
        var d = Load("google_boolq", format,
            """{"question": "is the sky blue", "answer": true, "passage": "The sky is blue."}""",
            """{"question": "is fire cold", "answer": false, "passage": "Fire is hot."}""");
        Assert.Equal(["yes", "no"], d.Examples.Select(e => e.Target));
        Assert.Equal(["0", "1"], d.Examples.Select(e => e.Id));
    }

    [Fact]
    public async Task Parquet_rows_across_row_groups_load_in_order()
    {
        using var files = new TestFiles();
        string path = files.Write("paws", "parquet", [.. Enumerable.Range(0, 5).Select(i => $$"""{"id": {{i}}, "sentence1": "a{{i}}", "sentence2": "b", "label": {{i % 2}}}""")]);
        await using (var reader = await Parquet.ParquetReader.CreateAsync(path, cancellationToken: TestContext.Current.CancellationToken))
            Assert.Equal(3, reader.RowGroupCount); // two rows per group
        var d = RealDatasets.Load("paws", path, "train");
        Assert.Equal(["0", "1", "2", "3", "4"], d.Examples.Select(e => e.Id));
        Assert.Equal("a4", d.Examples[4]["sentence1"]);
    }
}
