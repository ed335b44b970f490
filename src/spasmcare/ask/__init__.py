"""Answers to questions in plain words, extracted from SpasmCare's own articles, with
citations, and led by what to do now when the question describes a warning sign."""
