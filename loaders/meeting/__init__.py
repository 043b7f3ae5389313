"""The review-meeting deck: slides built once from the frames, shown on screen and written to PPTX/PDF."""
