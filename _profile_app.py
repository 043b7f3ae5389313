import cProfile, os, pstats
_prof = cProfile.Profile()
_prof.enable()
try:
    exec(compile(open("/work/main/app.py").read(), "/work/main/app.py", "exec"))
finally:
    _prof.disable()
    _prof.dump_stats(os.environ.get("PROFILE_OUT", "/tmp/page.prof"))
