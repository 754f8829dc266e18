// The benchmark drives gpg, sqop and /usr/bin/time and reads /proc: Linux (Debian) only, like CI.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
