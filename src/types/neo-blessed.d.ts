// The few parts of neo-blessed's API the dashboard uses (the package ships no types).
declare module "neo-blessed" {
  export interface Key {
    full: string;
    name?: string;
  }
  export interface Program {
    pause(): () => void;
  }
  export interface Box {
    setContent(text: string): void;
  }
  export interface Screen {
    width: number;
    height: number;
    program: Program;
    tput: { brokenACS: boolean; colors: number };
    append(node: Box): void;
    render(): void;
    alloc(): void;
    destroy(): void;
    on(event: "keypress", listener: (ch: string | undefined, key: Key) => void): void;
    on(event: "resize", listener: () => void): void;
  }
  const blessed: {
    screen(options: Record<string, unknown>): Screen;
    box(options: Record<string, unknown>): Box;
  };
  export default blessed;
}
