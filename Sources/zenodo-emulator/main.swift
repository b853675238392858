import ArgumentParser
import ZenodoEmulator

print("placeholder")
