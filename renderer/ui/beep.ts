// A short tone for something the user must not miss but that must not take the keyboard (a
// reading refused while the reader types on): Web Audio, no sound file. Silent where audio is
// unavailable.

let context: AudioContext | null = null;

export function beep(frequency = 880, ms = 140): void {
  try {
    context ??= new AudioContext();
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.value = 0.08;
    oscillator.connect(gain).connect(context.destination);
    oscillator.start();
    oscillator.stop(context.currentTime + ms / 1000);
  } catch {
    // No audio device: the mark and the count still show.
  }
}
